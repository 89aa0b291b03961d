import type { PartyClass, PartyName } from "../party.ts";
import { DirectoryRoom } from "./directory-room.ts";
import { SiteRoom } from "./site-room.ts";
import { VisitorRoom } from "./visitor-room.ts";

/** Every room class by the party a host routes to it: `/parties/:party/:room`. */
export const parties: Record<PartyName, PartyClass> = {
  visitor: VisitorRoom,
  site: SiteRoom,
  directory: DirectoryRoom,
};

export type { BootstrapBody, BootstrapResponse } from "./directory-room.ts";
export { DirectoryRoom, SiteRoom, VisitorRoom };
