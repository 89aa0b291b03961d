/** The rooms thread's entry (see `rooms-thread.ts`). */
import { parentPort, workerData } from "node:worker_threads";
import { serveRooms } from "./rooms-thread.ts";

if (!parentPort) throw new Error("rooms-worker runs as a worker thread (see startRoomsThread)");
serveRooms(parentPort, workerData);
