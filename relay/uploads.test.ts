import { describe, expect, it } from "vitest";
import { sniffFileType, uploadFileName } from "./uploads.ts";

const bytes = (...values: number[]) => new Uint8Array(values);
const ascii = (text: string) => new TextEncoder().encode(text);

/** The first bytes of real files of each kind. */
const samples = {
  png: bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52),
  jpeg: bytes(0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46),
  gif: ascii("GIF89a\u0001\u0000\u0001\u0000"),
  webp: new Uint8Array([...ascii("RIFF"), 0x24, 0, 0, 0, ...ascii("WEBPVP8 ")]),
  pdf: ascii("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"),
};

describe("sniffFileType", () => {
  it("recognises images, PDF and plain text by their content", () => {
    expect(sniffFileType(samples.png)).toEqual({ type: "image/png", image: true });
    expect(sniffFileType(samples.jpeg)).toEqual({ type: "image/jpeg", image: true });
    expect(sniffFileType(samples.gif)).toEqual({ type: "image/gif", image: true });
    expect(sniffFileType(samples.webp)).toEqual({ type: "image/webp", image: true });
    expect(sniffFileType(samples.pdf)).toEqual({ type: "application/pdf", image: false });
    expect(sniffFileType(ascii("Order 1234\r\n\tshipped: yes\n"))).toEqual({
      type: "text/plain; charset=utf-8",
      image: false,
    });
    expect(sniffFileType(ascii("Grüße, 東京 ✓"))).toMatchObject({
      type: "text/plain; charset=utf-8",
    });
  });

  it("refuses everything else, whatever it is called", () => {
    // A Windows executable, a ZIP (also .docx), an ELF binary, and text with a NUL in it.
    expect(sniffFileType(ascii("MZ\u0090\u0000\u0003"))).toBeNull();
    expect(sniffFileType(bytes(0x50, 0x4b, 0x03, 0x04, 0x14, 0))).toBeNull();
    expect(sniffFileType(bytes(0x7f, 0x45, 0x4c, 0x46, 2, 1))).toBeNull();
    expect(sniffFileType(ascii("hello\u0000world"))).toBeNull();
    // Invalid UTF-8 (a lone continuation byte) is not plain text.
    expect(sniffFileType(bytes(0x68, 0x69, 0x80))).toBeNull();
    // A RIFF file that is not WebP (a WAV sound).
    expect(
      sniffFileType(new Uint8Array([...ascii("RIFF"), 0, 0, 0, 0, ...ascii("WAVE")])),
    ).toBeNull();
    expect(sniffFileType(new Uint8Array())).toBeNull();
  });
});

describe("uploadFileName", () => {
  it("decodes percent-encoded names and keeps plain ones", () => {
    expect(uploadFileName(encodeURIComponent("Rechnung März.pdf"))).toBe("Rechnung März.pdf");
    expect(uploadFileName("photo.png")).toBe("photo.png");
    expect(uploadFileName("100%.txt")).toBe("100%.txt");
  });

  it("drops folders, quotes and control characters, and never returns an empty name", () => {
    expect(uploadFileName("../../etc/passwd")).toBe("passwd");
    expect(uploadFileName("C:\\Users\\ana\\cv.pdf")).toBe("cv.pdf");
    expect(uploadFileName(encodeURIComponent('a"b\r\nc.txt'))).toBe("abc.txt");
    expect(uploadFileName(null)).toBe("file");
    expect(uploadFileName("   ")).toBe("file");
    expect(uploadFileName("x".repeat(1000))).toHaveLength(256);
  });
});
