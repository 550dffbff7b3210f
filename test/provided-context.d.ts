// What test/global-setup.ts provides to every test file.
export {};

declare module "vitest" {
  export interface ProvidedContext {
    sqlEndpoint: string;
    templateDatabase: string;
  }
}
