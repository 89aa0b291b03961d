/** The demo site and admin that every `npm start` makes sure exist; the README shows them. */
export const DEMO = {
  siteId: "demo",
  siteName: "Parley Demo Shop",
  email: "admin@parley.test",
  name: "Demo Admin",
  password: "parley-demo",
} as const;
