export {
  createIdbStorage,
  createMemoryStorage,
  createWebStorage,
  openStorage,
  type TrackerStorage,
  withFallback,
} from "./storage/index.ts";
export {
  createTracker,
  openVisitorSocket,
  type Tracker,
  type TrackerOptions,
  type VisitorSocket,
  type VisitorSocketOptions,
} from "./tracker/index.ts";
