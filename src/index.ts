import { createApp } from "./app.ts";

export default { fetch: createApp().fetch };
