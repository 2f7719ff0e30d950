import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";

import { addressOption, fromBlockOption, fromOption, optional } from "../lib/option-definitions.js";

const ADDRESS = addressOption("DrugTrace");
const FROM = fromOption();

const BATCH = optional(
  "batch",
  "The batch id (0x…); or name the batch with --gtin and --lot (one of the two is required)",
);
const GTIN = optional("gtin", "The batch's GTIN, with --lot (instead of --batch)");
const LOT = optional("lot", "The batch's lot, with --gtin (instead of --batch)");
const CODE_HELP =
  "Required: the pack's code as a GS1 Digital Link URI, an element string (01)…(10)…(21)…(17)… or the scanner's raw text";
const TREE_HELP =
  "Required: the batch's serial tree file (<serial file>.tree.json from 'trace register')";
const FROM_BLOCK = fromBlockOption();
const SHIPMENT = optional("shipment", "Required: the shipment id 'trace ship' printed");
const PREFIX_OPTION = optional(
  "prefix",
  "Required: the GS1 Company Prefix, 6 to 12 digits with its leading zeros, e.g. 0614141",
);

/** The `trace …` tasks: the command line for manufacturers, distributors, pharmacies and regulators. */
export const traceTasks: TaskDefinition[] = [
  emptyTask(
    "trace",
    "Drug traceability: batches, custody, dispensing, verification, recall and quarantine",
  ).build(),

  task(
    ["trace", "register"],
    "Register a batch from its serial file as a manufacturer: builds and saves the serial tree, prints batch id, root, tree file and gas",
  )
    .addOption(
      optional(
        "serials",
        "Required: the serial file, one serial per line or CSV with a 'serial' column",
      ),
    )
    .addOption(
      optional(
        "gtin",
        "Required: the product's GTIN (8, 12, 13 or 14 digits, check digit validated)",
      ),
    )
    .addOption(optional("lot", "Required: the lot number (GS1 AI 10, up to 20 characters)"))
    .addOption(
      optional(
        "expiry",
        "Required: the expiry, YYMMDD (00 = end of month) or an ISO date such as 2027-12-31 (end of that day, UTC)",
      ),
    )
    .addOption(
      optional(
        "metadata",
        "Batch metadata: a file (its keccak256 goes on chain) or a 0x… 32-byte hash",
      ),
    )
    .addOption(
      optional(
        "tree",
        "Where to save the serial tree (default: <GTIN-14>-<lot>.tree.json beside the serial file)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./register.js"))
    .build(),

  task(
    ["trace", "ship"],
    "Ship units of a batch to a named trade partner; they stay in transit until the recipient accepts",
  )
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(optional("to", "Required: the recipient (a manufacturer, distributor or dispenser)"))
    .addOption(optional("quantity", "Required: the number of units"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./ship.js"))
    .build(),

  task(["trace", "accept"], "Accept a shipment addressed to you: the units join your holding")
    .addOption(SHIPMENT)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./accept.js"))
    .build(),

  task(["trace", "reject"], "Reject a shipment addressed to you: the units go back to the sender")
    .addOption(SHIPMENT)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./reject.js"))
    .build(),

  task(
    ["trace", "cancel"],
    "Cancel a shipment you sent, before the recipient acts: the units come back",
  )
    .addOption(SHIPMENT)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./cancel.js"))
    .build(),

  task(["trace", "pending"], "List the shipments in transit to and from an account")
    .addOption(optional("account", "The account (default: the account --from picks)"))
    .addOption(
      fromOption(
        "Without --account: the account, as an index into the network's accounts or an address (default: 0)",
      ),
    )
    .addOption(FROM_BLOCK)
    .addOption(ADDRESS)
    .setAction(() => import("./pending.js"))
    .build(),

  task(
    ["trace", "dispense"],
    "Dispense a pack at the counter: verifies first; if not Active, does NOT dispense and raises an on-chain alert (exit 0 dispensed, 2 not dispensed, 1 error)",
  )
    .addOption(optional("code", CODE_HELP))
    .addOption(optional("tree", TREE_HELP))
    .addOption(
      optional(
        "evidence",
        "Evidence for an alert: a file or a 0x… hash (default: the keccak256 of the scanned code)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./dispense.js"))
    .build(),

  task(
    ["trace", "verify"],
    "Verify a pack's code: genuine or not, in words and colour; needs no account (exit 0 genuine and Active, 2 any other verdict, 1 error)",
  )
    .addOption(optional("code", CODE_HELP))
    .addOption(optional("tree", TREE_HELP))
    .addOption(FROM_BLOCK)
    .addOption(ADDRESS)
    .setAction(() => import("./verify.js"))
    .build(),

  task(["trace", "recall"], "Recall a batch, as its manufacturer or a regulator (final)")
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(
      optional("reason", "Required: the reason code, 0 to 65534 (no free text goes on chain)"),
    )
    .addOption(
      optional("evidence", "Evidence: a file (its keccak256 goes on chain) or a 0x… 32-byte hash"),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./recall.js"))
    .build(),

  task(
    ["trace", "flag"],
    "Raise a suspect-product alert about one unit, named by --code (with --tree or --index) or by batch, --serial and --index",
  )
    .addOption(optional("code", "The pack's code (Digital Link, element string or raw scan)"))
    .addOption(
      optional("tree", "The batch's serial tree file, to find the unit's index and verify it"),
    )
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(optional("serial", "The unit's serial, with --batch or --gtin and --lot"))
    .addOption(optional("index", "The unit's index in its batch (found in --tree when given)"))
    .addOption(
      optional(
        "verdict",
        "unknown, active, dispensed, recalled, quarantined or expired (default: the verified verdict with --tree, else active: another cause, e.g. damaged packaging)",
      ),
    )
    .addOption(
      optional("evidence", "Evidence: a file (its keccak256 goes on chain) or a 0x… 32-byte hash"),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./flag.js"))
    .build(),

  task(
    ["trace", "resolve"],
    "Resolve a suspect flag, as a regulator: cleared, or confirmed and quarantined or recalled",
  )
    .addOption(
      optional("flag", "Required: the flag number 'trace flag' or 'trace dispense' printed"),
    )
    .addOption(optional("resolution", "Required: cleared, quarantined or recalled"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./resolve.js"))
    .build(),

  task(
    ["trace", "excursion"],
    "Report a cold-chain temperature excursion, as a sensor, of stock its custodian holds or of a shipment it sends or receives: the batch is quarantined",
  )
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(
      optional(
        "shipment",
        "Instead of the batch: a pending shipment the sensor's custodian sent or receives (goods in transit)",
      ),
    )
    .addOption(
      optional(
        "reading",
        "Required: the sensor reading, a file (its keccak256 goes on chain) or a 0x… hash",
      ),
    )
    .addOption(
      optional(
        "extreme",
        "Required: the measured extreme in °C, e.g. 9.5 or -25 (two decimals at most)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./excursion.js"))
    .build(),

  task(
    ["trace", "release"],
    "Lift a batch's quarantine: an excursion's as its manufacturer or a regulator, a regulator's as a regulator only",
  )
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./release.js"))
    .build(),

  task(
    ["trace", "history"],
    "Show a batch's journey from the contract's events: time, block, event, actor, details",
  )
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(FROM_BLOCK)
    .addOption(ADDRESS)
    .setAction(() => import("./history.js"))
    .build(),

  task(
    ["trace", "export"],
    "Write a batch's (or every batch's) on-chain history as a GS1 EPCIS 2.0 document, validated with GS1's schema",
  )
    .addOption(optional("epcis", "Required: the EPCIS document to write (JSON-LD)"))
    .addOption(BATCH)
    .addOption(GTIN)
    .addOption(LOT)
    .addOption(
      optional("tree", "The batch's serial tree file: commissioning then lists every SGTIN"),
    )
    .addOption(
      optional(
        "participants",
        "A participants file mapping accounts to GS1 PGLN/GLN (see README); unmapped accounts stay in carechain: fields",
      ),
    )
    .addOption(optional("since", "Only events from this date or date-time on (ISO)"))
    .addOption(optional("until", "Only events until this date (end of day) or date-time (ISO)"))
    .addOption(FROM_BLOCK)
    .addOption(ADDRESS)
    .setAction(() => import("./export.js"))
    .build(),

  task(
    ["trace", "import"],
    "Register the batches an EPCIS 2.0 document commissions, as a manufacturer (as 'trace register' does); other events are listed as not importable",
  )
    .addOption(optional("epcis", "Required: the EPCIS 2.0 document (JSON-LD)"))
    .addOption(
      optional(
        "tree",
        "Where to save the serial tree (default: <GTIN-14>-<lot>.tree.json beside the document)",
      ),
    )
    .addOption(
      optional(
        "metadata",
        "Batch metadata: a file or 0x… hash (default: the document's carechain:metadataHash, else none)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./import.js"))
    .build(),

  task(
    ["trace", "roles"],
    "Show an account's roles; as the admin, --grant or --revoke one: manufacturer, distributor, dispenser, regulator, sensor, pauser",
  )
    .addOption(optional("account", "Required: the account"))
    .addOption(optional("grant", "A role to grant, by word, e.g. dispenser"))
    .addOption(optional("revoke", "A role to revoke, by word"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./roles.js"))
    .build(),

  task(
    ["trace", "sensor"],
    "Bind a cold-chain sensor to you, a trade partner: it reports only on goods you hold, ship or receive; --unbind as its custodian or a regulator",
  )
    .addOption(optional("sensor", "Required: the sensor's address"))
    .addFlag({ name: "unbind", description: "Unbind the sensor instead of binding it" })
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./sensor.js"))
    .build(),

  task(
    ["trace", "name"],
    "Set a trade partner's public company name, as a regulator (shown beside its address; empty clears it)",
  )
    .addOption(
      optional("account", "Required: the distributor's, pharmacy's or other partner's address"),
    )
    .addOption(
      optional(
        "name",
        'Required: the public company name, e.g. "Apotheke am Markt" (at most 64 bytes)',
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./name.js"))
    .build(),

  emptyTask(
    ["trace", "prefix"],
    "GS1 Company Prefixes: the admin binds them to brand owners, brand owners authorize contract manufacturers",
  ).build(),

  task(
    ["trace", "prefix", "add"],
    "Bind a GS1 Company Prefix to its brand owner with the owner's public company name, as the admin",
  )
    .addOption(PREFIX_OPTION)
    .addOption(optional("owner", "Required: the brand owner's address"))
    .addOption(
      optional(
        "name",
        'Required unless the owner has one: its public company name, e.g. "Acme Pharma GmbH" (at most 64 bytes)',
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-add.js"))
    .build(),

  task(
    ["trace", "prefix", "transfer"],
    "Move a prefix to a new brand owner, as the admin; the old owner's contract manufacturers lose their authorization",
  )
    .addOption(PREFIX_OPTION)
    .addOption(optional("to", "Required: the new brand owner's address"))
    .addOption(optional("name", "The new owner's public company name (default: keep its name)"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-transfer.js"))
    .build(),

  task(
    ["trace", "prefix", "revoke"],
    "Revoke a prefix, as the admin: nobody registers its GTINs until it is bound again",
  )
    .addOption(PREFIX_OPTION)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-revoke.js"))
    .build(),

  task(
    ["trace", "prefix", "authorize"],
    "Let a contract manufacturer register batches of your prefix's GTINs, as its brand owner",
  )
    .addOption(PREFIX_OPTION)
    .addOption(optional("manufacturer", "Required: the contract manufacturer's address"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-authorize.js"))
    .build(),

  task(
    ["trace", "prefix", "deauthorize"],
    "Withdraw a contract manufacturer's authorization for your prefix, as its brand owner",
  )
    .addOption(PREFIX_OPTION)
    .addOption(optional("manufacturer", "Required: the contract manufacturer's address"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-deauthorize.js"))
    .build(),

  task(
    ["trace", "prefix", "list"],
    "List the bound prefixes with their owners and contract manufacturers, by name; needs no account",
  )
    .addOption(FROM_BLOCK)
    .addOption(ADDRESS)
    .setAction(() => import("./prefix-list.js"))
    .build(),
];
