import { afterEach, describe, expect, it, vi } from "vitest";
import { UPLOAD_BYTES } from "../../../protocol/limits.ts";
import { startTestSession } from "../../testing/index.ts";
import { $lines } from "../chat/index.ts";
import { $uploads, dismissUpload, uploadFile } from "./index.ts";

/** The XMLHttpRequests the store made: the network is the one part faked here. */
const requests: FakeRequest[] = [];
class FakeRequest {
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: unknown;
  status = 0;
  statusText = "";
  responseText = "";
  upload = { onprogress: null as null | ((event: Partial<ProgressEvent>) => void) };
  onload: null | (() => void) = null;
  onerror: null | (() => void) = null;
  constructor() {
    requests.push(this);
  }
  open(method: string, url: URL) {
    this.method = method;
    this.url = String(url);
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
  }
  /** The relay answers. */
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const file = (name: string, size: number, type = "image/png") =>
  ({ name, size, type }) as unknown as File;

afterEach(() => {
  requests.length = 0;
  for (const upload of $uploads.get()) dismissUpload(upload.id);
  vi.unstubAllGlobals();
});

describe("upload store", () => {
  it("refuses a file over 10 MB before uploading anything", () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    startTestSession();
    uploadFile(file("huge.png", UPLOAD_BYTES + 1));
    expect(requests).toHaveLength(0);
    expect($uploads.get()).toMatchObject([{ name: "huge.png", error: "too_large" }]);
  });

  it("uploads to the relay as the visitor, shows progress, then sends the file", () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    const { recorded, session, visitorId } = startTestSession();
    const photo = file("ферма 1.png", 2048);
    uploadFile(photo);
    const [request] = requests;
    expect(request).toMatchObject({
      method: "POST",
      url: "https://relay.test/api/uploads",
      body: photo,
      headers: {
        "x-file-name": encodeURIComponent("ферма 1.png"),
        "content-type": "image/png",
        "x-parley-visitor": visitorId,
        "x-parley-secret": "secret-secret-secret",
        "x-parley-site": session.site,
      },
    });
    request?.upload.onprogress?.({ lengthComputable: true, loaded: 512, total: 2048 });
    expect($uploads.get()).toMatchObject([{ progress: 0.25 }]);

    const stored = {
      id: "upload-0001",
      name: "ферма 1.png",
      size: 2048,
      type: "image/png",
      url: "https://relay.test/files/upload-0001",
      image: true,
    };
    request?.answer(201, stored);
    expect($uploads.get()).toEqual([]);
    expect(recorded).toMatchObject([{ kind: "message", fileId: "upload-0001", text: "" }]);
    expect($lines.get().at(-1)?.file).toEqual(stored);
  });

  it("shows the relay's reason when it refuses a file", () => {
    vi.stubGlobal("XMLHttpRequest", FakeRequest);
    const { recorded } = startTestSession();
    uploadFile(file("tool.exe", 100, "application/x-msdownload"));
    requests[0]?.answer(415, { error: "bad_file_type", message: "Only images can be sent" });
    expect($uploads.get()).toMatchObject([{ name: "tool.exe", error: "Only images can be sent" }]);
    expect(recorded).toEqual([]);
  });
});
