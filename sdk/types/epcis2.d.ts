/*
 * The part of GS1/EVRYTHNG's `epcis2.js` SDK carechain uses. The package ships declarations under
 * `@types/epcis2.js/` without pointing its package.json at them, and it is CommonJS (no named
 * exports under Node's ESM), so it is imported as a default and declared here.
 */
declare module "epcis2.js" {
  /** What `validateEpcisDocument` answers: its first problem only, when there is one. */
  interface ValidatorResult {
    success: boolean;
    errors: string[];
  }
  const epcis2: {
    /** Validates a document against GS1's EPCIS 2.0 JSON schema, field sets and declared extensions. */
    validateEpcisDocument(epcisDocument: object, throwError?: boolean): ValidatorResult;
    /** The GS1 CBV 2.0 event hash of an event (`ni:///sha-256;…?ver=CBV2.0`). */
    eventToHashedId(event: object, context: object, throwError?: boolean): string;
  };
  export default epcis2;
}
