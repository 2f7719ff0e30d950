import {
  contractOptions,
  defineScope,
  flag,
  fromBlockOption,
  fromOption,
  optional,
  required,
  roleOptions,
} from "../lib/option-definitions.js";

const { address: ADDRESS, signed: SIGNED } = contractOptions("DrugTrace");
const FROM_BLOCK = fromBlockOption();

/** A batch by id, or by GTIN and lot. */
const BATCH = [
  optional(
    "batch",
    "The batch id (0x…); or name the batch with --gtin and --lot (one of the two is required)",
  ),
  optional("gtin", "The batch's GTIN, with --lot (instead of --batch)"),
  optional("lot", "The batch's lot, with --gtin (instead of --batch)"),
];
/** The pack a pharmacist scans, and its batch's serial tree. */
const PACK = [
  required("code", "the pack's Digital Link URI, element string or scanned text"),
  required(
    "tree",
    "the batch's serial tree file (<GTIN-14>-<lot>.tree.json from 'trace register')",
  ),
];
const SHIPMENT = [required("shipment", "the shipment id 'trace ship' printed"), ...SIGNED];
const PREFIX = required(
  "prefix",
  "the GS1 Company Prefix, 6 to 12 digits with its leading zeros, e.g. 0614141",
);
const MANUFACTURER = required("manufacturer", "the contract manufacturer's address");
const EVIDENCE = optional(
  "evidence",
  "Evidence: a file (its keccak256 goes on chain) or a 0x… 32-byte hash",
);
const METADATA_HELP = "Batch metadata: a file (its keccak256 goes on chain) or a 0x… 32-byte hash";

/** The `trace …` tasks: the command line for manufacturers, distributors, pharmacies and regulators. */
export const traceTasks = defineScope("trace", (file) => import(`./${file}.js`), {
  "": ["Drug traceability: batches, custody, dispensing, verification, recall and quarantine"],
  register: [
    "Register a batch from its serial file as a manufacturer: builds and saves the serial tree, prints batch id, root, tree file and gas",
    [
      required("serials", "the serial file, one serial per line or CSV with a 'serial' column"),
      required("gtin", "the product's GTIN (8, 12, 13 or 14 digits, check digit validated)"),
      required("lot", "the lot number (GS1 AI 10, up to 20 characters)"),
      required(
        "expiry",
        "the expiry, YYMMDD (00 = end of month) or an ISO date such as 2027-12-31 (end of that day, UTC)",
      ),
      optional("metadata", METADATA_HELP),
      optional(
        "tree",
        "Where to save the serial tree (default: <GTIN-14>-<lot>.tree.json beside the serial file)",
      ),
      ...SIGNED,
    ],
  ],

  ship: [
    "Ship units of a batch to a named trade partner; they stay in transit until the recipient accepts",
    [
      ...BATCH,
      required("to", "the recipient: a manufacturer, distributor or dispenser"),
      required("quantity", "the number of units"),
      ...SIGNED,
    ],
  ],

  accept: ["Accept a shipment addressed to you: the units join your holding", SHIPMENT],

  reject: ["Reject a shipment addressed to you: the units go back to the sender", SHIPMENT],

  cancel: ["Cancel a shipment you sent, before the recipient acts: the units come back", SHIPMENT],

  pending: [
    "List the shipments in transit to and from an account",
    [
      optional("account", "The account (default: the account --from picks)"),
      fromOption(
        "Without --account: the account, as an index into the network's accounts or an address (default: 0)",
      ),
      FROM_BLOCK,
      ADDRESS,
    ],
  ],

  dispense: [
    "Dispense a pack at the counter: verifies first; if not Active, does NOT dispense and raises an on-chain alert (exit 0 dispensed, 2 not dispensed, 1 error)",
    [
      ...PACK,
      optional(
        "evidence",
        "Evidence for an alert: a file or a 0x… hash (default: the keccak256 of the scanned code)",
      ),
      ...SIGNED,
    ],
  ],

  verify: [
    "Verify a pack's code: genuine or not, in words and colour; needs no account (exit 0 genuine and Active, 2 any other verdict, 1 error)",
    [...PACK, FROM_BLOCK, ADDRESS],
  ],

  recall: [
    "Recall a batch, as its manufacturer or a regulator (final)",
    [
      ...BATCH,
      required("reason", "the reason code, 0 to 65534 (no free text goes on chain)"),
      EVIDENCE,
      ...SIGNED,
    ],
  ],

  flag: [
    "Raise a suspect-product alert about one unit, named by --code (with --tree or --index) or by batch, --serial and --index",
    [
      optional("code", "The pack's code (Digital Link, element string or raw scan)"),
      optional("tree", "The batch's serial tree file, to find the unit's index and verify it"),
      ...BATCH,
      optional("serial", "The unit's serial, with --batch or --gtin and --lot"),
      optional("index", "The unit's index in its batch (found in --tree when given)"),
      optional(
        "verdict",
        "unknown, active, dispensed, recalled, quarantined or expired (default: the verified verdict with --tree, else active: another cause, e.g. damaged packaging)",
      ),
      EVIDENCE,
      ...SIGNED,
    ],
  ],

  resolve: [
    "Resolve a suspect flag, as a regulator: cleared, or confirmed and quarantined or recalled",
    [
      required("flag", "the flag number 'trace flag' or 'trace dispense' printed"),
      required("resolution", "cleared, quarantined or recalled"),
      ...SIGNED,
    ],
  ],

  excursion: [
    "Report a cold-chain temperature excursion, as a sensor, of stock its custodian holds or of a shipment it sends or receives: the batch is quarantined",
    [
      ...BATCH,
      optional(
        "shipment",
        "Instead of the batch: a pending shipment the sensor's custodian sent or receives (goods in transit)",
      ),
      required("reading", "the sensor reading, a file (its keccak256 goes on chain) or a 0x… hash"),
      required("extreme", "the measured extreme in °C, e.g. 9.5 or -25 (two decimals at most)"),
      ...SIGNED,
    ],
  ],

  release: [
    "Lift a batch's quarantine: an excursion's as its manufacturer or a regulator, a regulator's as a regulator only",
    [...BATCH, ...SIGNED],
  ],

  history: [
    "Show a batch's journey from the contract's events: time, block, event, actor, details",
    [...BATCH, FROM_BLOCK, ADDRESS],
  ],

  export: [
    "Write a batch's (or every batch's) on-chain history as a GS1 EPCIS 2.0 document, validated with GS1's schema",
    [
      required("epcis", "the EPCIS document to write (JSON-LD), e.g. A1.epcis.jsonld"),
      ...BATCH,
      optional("tree", "The batch's serial tree file: commissioning then lists every SGTIN"),
      optional(
        "participants",
        "A participants file mapping accounts to GS1 PGLN/GLN (see README); unmapped accounts stay in carechain: fields",
      ),
      optional("since", "Only events from this date or date-time on (ISO)"),
      optional("until", "Only events until this date (end of day) or date-time (ISO)"),
      FROM_BLOCK,
      ADDRESS,
    ],
  ],

  import: [
    "Register the batches an EPCIS 2.0 document commissions, as a manufacturer (as 'trace register' does); other events are listed as not importable",
    [
      required("epcis", "the EPCIS 2.0 document (JSON-LD)"),
      optional(
        "tree",
        "Where to save the serial tree (default: <GTIN-14>-<lot>.tree.json beside the document)",
      ),
      optional(
        "metadata",
        "Batch metadata: a file or 0x… hash (default: the document's carechain:metadataHash, else none)",
      ),
      ...SIGNED,
    ],
  ],

  roles: [
    "Show an account's roles; as the admin, --grant or --revoke one: manufacturer, distributor, dispenser, regulator, sensor, pauser",
    roleOptions("DrugTrace", "e.g. dispenser"),
  ],

  sensor: [
    "Bind a cold-chain sensor to you, a trade partner: it reports only on goods you hold, ship or receive; --unbind as its custodian or a regulator",
    [
      required("sensor", "the sensor's address"),
      flag("unbind", "Unbind the sensor instead of binding it"),
      ...SIGNED,
    ],
  ],

  name: [
    "Set a trade partner's public company name, as a regulator (shown beside its address; empty clears it)",
    [
      required("account", "the distributor's, pharmacy's or other partner's address"),
      optional(
        "name",
        'The public company name, e.g. "Apotheke am Markt" (at most 64 bytes; absent or empty clears it)',
      ),
      ...SIGNED,
    ],
  ],

  prefix: [
    "GS1 Company Prefixes: the admin binds them to brand owners, brand owners authorize contract manufacturers",
  ],

  "prefix add": [
    "Bind a GS1 Company Prefix to its brand owner with the owner's public company name, as the admin",
    [
      PREFIX,
      required("owner", "the brand owner's address"),
      optional(
        "name",
        'Required unless the owner has one: its public company name, e.g. "Acme Pharma GmbH" (at most 64 bytes)',
      ),
      ...SIGNED,
    ],
  ],

  "prefix transfer": [
    "Move a prefix to a new brand owner, as the admin; the old owner's contract manufacturers lose their authorization",
    [
      PREFIX,
      required("to", "the new brand owner's address"),
      optional("name", "The new owner's public company name (default: keep its name)"),
      ...SIGNED,
    ],
  ],

  "prefix revoke": [
    "Revoke a prefix, as the admin: nobody registers its GTINs until it is bound again",
    [PREFIX, ...SIGNED],
  ],

  "prefix authorize": [
    "Let a contract manufacturer register batches of your prefix's GTINs, as its brand owner",
    [PREFIX, MANUFACTURER, ...SIGNED],
  ],

  "prefix deauthorize": [
    "Withdraw a contract manufacturer's authorization for your prefix, as its brand owner",
    [PREFIX, MANUFACTURER, ...SIGNED],
  ],

  "prefix list": [
    "List the bound prefixes with their owners and contract manufacturers, by name; needs no account",
    [FROM_BLOCK, ADDRESS],
  ],
});
