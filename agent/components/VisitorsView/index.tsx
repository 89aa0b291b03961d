import { useStore } from "@nanostores/preact";
import { $selectedVisitor } from "../../stores/selection/index.ts";
import { VisitorFilters } from "../VisitorFilters/index.tsx";
import { VisitorList } from "../VisitorList/index.tsx";
import { VisitorPanel } from "../VisitorPanel/index.tsx";

/** The live visitors page: filters and list, with the selected visitor beside them. */
export function VisitorsView() {
  const selected = useStore($selectedVisitor);
  return (
    <main class="visitors-view">
      <section class="visitors-main" aria-label="Live visitors">
        <VisitorFilters />
        <VisitorList />
      </section>
      {selected && <VisitorPanel visitor={selected} />}
    </main>
  );
}
