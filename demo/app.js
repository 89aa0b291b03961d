// The help center's tiny client-side router: tabs are routes (?tab=…) changed with
// history.pushState, the way single-page apps navigate, so the tracker's SPA page views can be
// seen. The title changes after the URL, as in most frameworks.
const links = [...document.querySelectorAll("[data-tab]")];

const currentTab = () => new URLSearchParams(location.search).get("tab") ?? "overview";

function render() {
  const tab = links.some((link) => link.dataset.tab === currentTab()) ? currentTab() : "overview";
  for (const link of links) {
    const selected = link.dataset.tab === tab;
    document.getElementById(link.dataset.tab).hidden = !selected;
    if (selected) {
      link.setAttribute("aria-current", "page");
      document.title = `${link.dataset.title} · Parley Demo Shop`;
    } else link.removeAttribute("aria-current");
  }
}

for (const link of links)
  link.addEventListener("click", (event) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    if (link.href === location.href) return;
    history.pushState({ tab: link.dataset.tab }, "", link.href);
    render();
  });

addEventListener("popstate", render);
render();
