import { expect, type Page, test } from "@playwright/test";
import { build } from "vite";
import type * as Target from "../loader/target/index.ts";

/**
 * Element targets (loader/target) in Chromium, where they run: building a selector from ids,
 * stable attributes and an nth-of-type path, and finding the element again after the page
 * shifted. The module is bundled for the page with the project's own bundler.
 */
let bundle = "";

test.beforeAll(async () => {
  const built = await build({
    configFile: false,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: { entry: "loader/target/index.ts", formats: ["iife"], name: "pointerTarget" },
    },
  });
  const outputs = Array.isArray(built) ? built : [built];
  const chunk = outputs.flatMap((output) => ("output" in output ? output.output : []))[0];
  if (chunk?.type !== "chunk") throw new Error("no bundle");
  bundle = chunk.code;
});

type PageWithTarget = typeof Target;

/** A page with `html` as its body and the module as `window.pointerTarget`. */
async function pageWith(page: Page, html: string): Promise<void> {
  await page.route("http://shop.test/**", (route) =>
    route.fulfill({ contentType: "text/html", body: `<!doctype html><body>${html}</body>` }),
  );
  await page.goto("http://shop.test/products/mug.html");
  await page.addScriptTag({ content: bundle });
}

/** The selector built for the element `pick` finds. */
const selectorFor = (page: Page, pick: string) =>
  page.evaluate((pick) => {
    const { selectorOf } = (window as unknown as { pointerTarget: PageWithTarget }).pointerTarget;
    const element = document.querySelector(pick);
    if (!element) throw new Error(`nothing at ${pick}`);
    const selector = selectorOf(element);
    return {
      selector,
      unique:
        document.querySelectorAll(selector).length === 1 &&
        document.querySelector(selector) === element,
    };
  }, pick);

test("a selector starts from an id, or a stable attribute, then follows nth-of-type", async ({
  page,
}) => {
  await pageWith(
    page,
    `<main id="product">
       <div class="actions"><button>Save</button></div>
       <div class="actions"><button>Buy</button><button>Gift</button></div>
     </main>
     <nav><a href="/cart">Cart</a><a href="/help">Help</a></nav>
     <form><input name="email"><input name="phone"></form>
     <section><button aria-label="Close dialog">×</button></section>
     <aside><button aria-label='Say "hi" \\ wave'>👋</button></aside>
     <ul data-testid="sizes"><li>S</li><li>M</li></ul>
     <div id="ember1234"><span>Generated</span><span>Other</span></div>
     <div id=":r1:"><p>React</p></div>`,
  );
  const cases: [string, string][] = [
    ["#product", "#product"],
    [
      "#product > div:nth-of-type(2) > button:nth-of-type(2)",
      "#product > div:nth-of-type(2) > button:nth-of-type(2)",
    ],
    ['a[href="/help"]', 'a[href="/help"]'],
    ['input[name="phone"]', 'input[name="phone"]'],
    ["section button", 'button[aria-label="Close dialog"]'],
    ["aside button", 'button[aria-label="Say \\"hi\\" \\\\ wave"]'],
    ['ul[data-testid="sizes"] li:nth-of-type(2)', 'ul[data-testid="sizes"] > li:nth-of-type(2)'],
  ];
  for (const [pick, expected] of cases) {
    expect(await selectorFor(page, pick)).toEqual({ selector: expected, unique: true });
  }
  // Ids that look generated are passed over for a path.
  const generated = await selectorFor(page, '[id="ember1234"] span:nth-of-type(2)');
  expect(generated.selector).not.toContain("ember");
  expect(generated.unique).toBe(true);
  const react = await selectorFor(page, '[id=":r1:"] p');
  expect(react.selector).not.toContain("r1");
  expect(react.unique).toBe(true);
});

test("an element is found again by its selector, or by its fingerprint once the page shifted, or not at all once gone", async ({
  page,
}) => {
  await pageWith(
    page,
    `<ul class="plans"><li><button>Basic</button></li><li><button>Pro</button></li></ul>
     <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="logo">
     <input placeholder="Your   email">`,
  );
  const result = await page.evaluate(() => {
    const { describeElement, findElement } = (
      window as unknown as { pointerTarget: PageWithTarget }
    ).pointerTarget;
    const pro = document.querySelectorAll("button")[1] as Element;
    const target = describeElement(pro);
    const sameAtFirst = findElement(target, document) === pro;
    // A new plan comes first: the path now leads to "Basic", the fingerprint still to "Pro".
    const list = document.querySelector("ul") as Element;
    list.insertAdjacentHTML("afterbegin", "<li><button>Free</button></li>");
    const afterShift = findElement(target, document) === pro;
    const input = describeElement(document.querySelector("input") as Element);
    const image = describeElement(document.querySelector("img") as Element);
    const imageFound = findElement(image, document) === document.querySelector("img");
    const badSelector = findElement({ ...target, selector: "[[nonsense" }, document) === pro;
    pro.remove();
    const afterRemoval = findElement(target, document);
    return { target, sameAtFirst, afterShift, input, image, imageFound, badSelector, afterRemoval };
  });
  expect(result.target).toEqual({
    url: "http://shop.test/products/mug.html",
    selector: "body > ul > li:nth-of-type(2) > button",
    tag: "button",
    text: "Pro",
  });
  expect(result.sameAtFirst).toBe(true);
  expect(result.afterShift).toBe(true);
  // Without text, what names the element is its fingerprint, whitespace collapsed.
  expect(result.input.text).toBe("Your email");
  expect(result.image.text).toBe("");
  expect(result.imageFound).toBe(true);
  expect(result.badSelector).toBe(true);
  expect(result.afterRemoval).toBeNull();
});

test("the same page is the same address but for the fragment", async ({ page }) => {
  await pageWith(page, "<p>Hi</p>");
  const answers = await page.evaluate(() => {
    const { samePage } = (window as unknown as { pointerTarget: PageWithTarget }).pointerTarget;
    return [
      samePage("https://shop.test/cart#top", "https://shop.test/cart"),
      samePage("https://shop.test/cart?step=2", "https://shop.test/cart"),
      samePage("https://shop.test/cart", "https://other.test/cart"),
      samePage("not a url", "https://shop.test/cart"),
    ];
  });
  expect(answers).toEqual([true, false, false, false]);
});
