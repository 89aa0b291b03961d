/**
 * The widget's English strings: bundled, and the fallback for any string another locale lacks.
 * Other locales (es.ts, pt.ts, ru.ts) are loaded on demand and have the same shape.
 */
export const en = {
  /** Text direction of the language: "rtl" lays the widget out right to left. */
  dir: "ltr" as "ltr" | "rtl",
  openChat: "Open chat",
  closeChat: "Close chat",
  unread: (count: number) => (count === 1 ? "1 unread message" : `${count} unread messages`),
  title: "Chat with us",
  greeting: "Hi! How can we help you today?",
  online: "We're online",
  away: "We'll reply as soon as we can",
  messages: "Messages",
  you: "You",
  typing: (name: string) => `${name} is typing…`,
  composer: "Your message",
  placeholder: "Write a message…",
  send: "Send",
  emoji: "Insert an emoji",
  emojiList: "Emoji",
  attach: "Attach a file",
  mute: "Mute sounds",
  minimize: "Minimize chat",
  sending: "Sending",
  delivered: "Delivered",
  read: "Read",
  notSent: "Not sent",
  file: "File",
  uploading: (name: string) => `Uploading ${name}`,
  fileTooBig: (name: string) => `${name} is larger than 10 MB and cannot be sent.`,
  uploadFailed: (name: string, reason: string) => `${name} could not be sent: ${reason}`,
  dismiss: "Dismiss",
  name: "Name",
  email: "Email",
  phone: "Phone",
  message: "Message",
  optional: "optional",
  required: "Please fill this in.",
  badEmail: "Please enter a valid email address.",
  prechatIntro: "Before we start, please tell us a little about you.",
  startChat: "Start the chat",
  offlineIntro: "Nobody is online right now. Leave us a message and we'll reply by email.",
  missedIntro: "Sorry we missed you. Leave us a message and we'll reply by email.",
  sendOffline: "Send message",
  offlineSent: "Thank you! Your message was sent. We'll reply by email.",
  offlineFailed: "Your message could not be sent. Please check the fields and try again.",
};

/** Every string of the widget; locale files provide the same keys. */
export type Strings = typeof en;
