/**
 * Baseline (b): a bare `ws` forwarder, the practical ceiling. No storage, no validation, no
 * acknowledgement: each visitor event is wrapped with the visitor's id and sent to every agent.
 * Same routes as Parley (`/parties/visitor/:id`, `/parties/site/:site`), so the load generator
 * speaks to it unchanged. Prints `listening on http://127.0.0.1:PORT` once ready.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

const agents = new Set<WebSocket>();
const server = createServer((_, response) => response.writeHead(404).end());
const sockets = new WebSocketServer({ server, perMessageDeflate: false });

sockets.on("connection", (socket, request) => {
  const url = new URL(request.url ?? "/", "http://127.0.0.1");
  const visitor = /^\/parties\/visitor\/([\w-]+)$/.exec(url.pathname)?.[1];
  if (!visitor) {
    agents.add(socket);
    socket.on("close", () => agents.delete(socket));
    return;
  }
  socket.on("message", (data) => {
    const frame = JSON.parse(data.toString()) as { events?: unknown[] };
    for (const event of frame.events ?? []) {
      const text = JSON.stringify({ type: "event", visitorId: visitor, event });
      for (const agent of agents) agent.send(text);
    }
  });
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
