/**
 * Baseline (a): what a team would write instead of Parley's relay. A minimal Socket.IO server
 * that stores each visitor event in SQLite (better-sqlite3, WAL, one synchronous INSERT per
 * event as it arrives, no batching) and forwards it to every agent, then acknowledges the
 * visitor. No validation, no rooms, no roster. Its commits are as durable as Parley's
 * (`synchronous = NORMAL`: they survive the process, not the machine), not synced one by one.
 * Prints `listening on http://127.0.0.1:PORT`. The database file is `BASELINE_DB`.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { Server } from "socket.io";

type VisitorEvent = { id: string; kind: string; at: number };

const db = new Database(process.env.BASELINE_DB ?? ":memory:");
db.pragma("journal_mode = WAL");
db.pragma("synchronous = NORMAL");
db.exec(
  "CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, visitor_id TEXT, kind TEXT, at INTEGER, body TEXT)",
);
const insert = db.prepare(
  "INSERT OR IGNORE INTO events (id, visitor_id, kind, at, body) VALUES (?, ?, ?, ?, ?)",
);

const server = createServer();
const relay = new Server(server, { transports: ["websocket"], perMessageDeflate: false });

relay.on("connection", (socket) => {
  const { visitorId, role } = socket.handshake.query;
  if (role === "agent") {
    socket.join("agents");
    return;
  }
  socket.on("frame", (text: string) => {
    const frame = JSON.parse(text) as { events?: VisitorEvent[] };
    const ids: string[] = [];
    for (const event of frame.events ?? []) {
      insert.run(event.id, String(visitorId), event.kind, event.at, JSON.stringify(event));
      relay.to("agents").emit("frame", JSON.stringify({ type: "event", visitorId, event }));
      ids.push(event.id);
    }
    socket.emit("frame", JSON.stringify({ type: "ack", ids }));
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
