/** What test/integration/global-setup.ts hands every integration test through `inject`. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** DynamoDB Local, in memory, shared by all test files (each makes its own table). */
    dynamodbEndpoint: string;
    /** The aws-ses-v2-local emulator; its mail is readable at `${sesEndpoint}/store`. */
    sesEndpoint: string;
  }
}

export {};
