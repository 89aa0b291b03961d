import { render } from "preact";
import { App } from "./components/App/index.tsx";
import { startLive } from "./stores/live/index.ts";
import "./styles.css";

startLive({ host: location.host, secure: location.protocol === "https:" });

const root = document.getElementById("app");
if (root) render(<App />, root);
