import { expect } from "chai";
import { ZeroAddress, id } from "ethers";

import * as dt from "../helpers/drug-trace.js";

type Registered = Awaited<ReturnType<typeof dt.registeredFixture>>;
type Signer = Registered["stranger"];

describe("DrugTrace", function () {
  describe("ship", function () {
    it("moves units from the sender's holding into a pending shipment to the named recipient", async function () {
      const { drugTrace, manufacturer, distributor, batchId } = await dt.networkHelpers.loadFixture(
        dt.registeredFixture,
      );
      const shipmentId = dt.shipmentIdOf(1n, manufacturer.address);
      expect(
        await drugTrace.connect(manufacturer).ship.staticCall(batchId, distributor.address, 120n),
      ).to.equal(shipmentId);
      const tx = drugTrace.connect(manufacturer).ship(batchId, distributor.address, 120n);
      await expect(tx)
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(batchId, shipmentId, distributor.address, manufacturer.address, 120n);
      const block = await (await tx).getBlock();
      const record = await drugTrace.shipmentOf(shipmentId);
      expect(record.sender).to.equal(manufacturer.address);
      expect(record.recipient).to.equal(distributor.address);
      expect(record.batchId).to.equal(batchId);
      expect(record.quantity).to.equal(120n);
      expect(record.shippedAt).to.equal(BigInt(block!.timestamp));
      expect(record.state).to.equal(dt.ShipmentState.Pending);
      expect(await drugTrace.shipmentStateOf(shipmentId)).to.equal(dt.ShipmentState.Pending);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 120n,
      );
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(0n);
    });

    it("numbers shipments in sequence with the sender in the low 160 bits", async function () {
      const { drugTrace, distributor, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      for (const [sender, recipient, sequence] of [
        [distributor, pharmacy, 3n],
        [pharmacy, distributor, 4n],
      ] as const) {
        await expect(drugTrace.connect(sender).ship(batchId, recipient.address, 1n))
          .to.emit(drugTrace, "ShipmentSent")
          .withArgs(
            batchId,
            dt.shipmentIdOf(sequence, sender.address),
            recipient.address,
            sender.address,
            1n,
          );
      }
    });

    it("lets a pharmacy return stock to its distributor", async function () {
      const { drugTrace, distributor, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await drugTrace.connect(distributor).acceptShipment(dt.shipmentIdOf(3n, pharmacy.address));
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(0n);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(200n);
    });

    it("lets a holder whose trade role was revoked send its stock back", async function () {
      const { drugTrace, admin, distributor, manufacturer, batchId } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await drugTrace.connect(admin).revokeRole(id("DISTRIBUTOR_ROLE"), distributor.address);
      await expect(
        drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n),
      ).to.emit(drugTrace, "ShipmentSent");
    });

    it("allows returns to the manufacturer after a recall", async function () {
      const { drugTrace, regulator, distributor, manufacturer, batchId } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await drugTrace.connect(regulator).recall(batchId, 7n, dt.EVIDENCE);
      await drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n);
      const shipmentId = dt.shipmentIdOf(3n, distributor.address);
      await expect(drugTrace.connect(manufacturer).acceptShipment(shipmentId))
        .to.emit(drugTrace, "ShipmentAccepted")
        .withArgs(batchId, shipmentId, manufacturer.address, distributor.address, 150n);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 50n,
      );
    });

    it("allows returns to the manufacturer after expiry", async function () {
      const { drugTrace, distributor, manufacturer, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Expired);
      await expect(drugTrace.connect(distributor).ship(batchId, manufacturer.address, 10n)).to.emit(
        drugTrace,
        "ShipmentSent",
      );
    });

    /** A refused `ship`: sender, recipient, quantity, error, its arguments (and another batch). */
    type Attempt = [
      from: Signer,
      to: string,
      quantity: bigint,
      error: string,
      args: readonly unknown[],
      batchId?: string,
    ];
    const unknown = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
    const inState = (batchId: string, state: bigint, expected = dt.ACTIVE): [string, unknown[]] => [
      "DrugTraceUnexpectedBatchState",
      [batchId, state, expected],
    ];
    const REFUSALS: {
      title: string;
      fixture: () => Promise<Registered>;
      setup?: (f: Registered) => Promise<unknown>;
      attempts: (f: Registered) => Attempt[];
    }[] = [
      {
        title: "reverts when the quantity is zero",
        fixture: dt.registeredFixture,
        attempts: (f) => [[f.manufacturer, f.distributor.address, 0n, "DrugTraceZeroQuantity", []]],
      },
      {
        title: "reverts when shipping to oneself",
        fixture: dt.registeredFixture,
        attempts: ({ manufacturer: m }) => [
          [m, m.address, 1n, "DrugTraceShipmentToSelf", [m.address]],
        ],
      },
      {
        title: "reverts when the recipient holds no trade role (attack), whatever else it holds",
        fixture: dt.registeredFixture,
        attempts: (f) =>
          [
            f.stranger.address,
            f.regulator.address,
            f.sensor.address,
            f.pauser.address,
            ZeroAddress,
          ].map((to) => [f.manufacturer, to, 1n, "DrugTraceNotTradePartner", [to]]),
      },
      {
        title: "reverts when the batch is not registered",
        fixture: dt.registeredFixture,
        attempts: (f) => [
          [
            f.manufacturer,
            f.distributor.address,
            1n,
            ...inState(unknown, dt.BatchState.None),
            unknown,
          ],
        ],
      },
      {
        title: "reverts when shipping a recalled batch onward and changes nothing",
        fixture: dt.stockedFixture,
        setup: (f) => f.drugTrace.connect(f.regulator).recall(f.batchId, 7n, dt.EVIDENCE),
        attempts: (f) => [
          [f.distributor, f.pharmacy.address, 1n, ...inState(f.batchId, dt.BatchState.Recalled)],
        ],
      },
      {
        title: "reverts when shipping an expired batch onward",
        fixture: dt.stockedFixture,
        setup: (f) => dt.networkHelpers.time.increaseTo(f.expiry + 1n),
        attempts: (f) => [
          [f.distributor, f.pharmacy.address, 1n, ...inState(f.batchId, dt.BatchState.Expired)],
        ],
      },
      {
        title: "reverts when shipping a quarantined batch, even back to the manufacturer",
        fixture: dt.stockedFixture,
        setup: (f) => f.drugTrace.connect(f.sensor).reportExcursion(f.batchId, dt.READING, 1250),
        attempts: ({ distributor, batchId, ...f }) => [
          [
            distributor,
            f.manufacturer.address,
            1n,
            ...inState(batchId, dt.BatchState.Quarantined, dt.RETURNABLE),
          ],
          [distributor, f.pharmacy.address, 1n, ...inState(batchId, dt.BatchState.Quarantined)],
        ],
      },
      {
        title: "reverts when the sender holds too few units, or none",
        fixture: dt.stockedFixture,
        attempts: ({ batchId, pharmacy, stranger, ...f }) => [
          [
            pharmacy,
            f.distributor.address,
            51n,
            "DrugTraceInsufficientHolding",
            [batchId, pharmacy.address, 50n, 51n],
          ],
          [
            stranger,
            f.pharmacy2.address,
            1n,
            "DrugTraceInsufficientHolding",
            [batchId, stranger.address, 0n, 1n],
          ],
        ],
      },
    ];

    for (const c of REFUSALS) {
      it(c.title, async function () {
        const f = await dt.networkHelpers.loadFixture(c.fixture);
        await c.setup?.(f);
        const attempts = c.attempts(f);
        const next = attempts.flatMap(([from]) =>
          [1n, 2n, 3n].map((sequence) => dt.shipmentIdOf(sequence, from.address)),
        );
        await dt.expectNothingChanged(dt.traceState(f, [f.batchId, unknown], next), async () => {
          for (const [from, to, quantity, error, args, batchId = f.batchId] of attempts) {
            await dt.expectRevert(
              f.drugTrace.connect(from).ship(batchId, to, quantity),
              f.drugTrace,
              error,
              ...args,
            );
          }
        });
      });
    }

    dt.itRevertsWhenPaused(
      dt.registeredFixture,
      ({ drugTrace, manufacturer, distributor, batchId }) =>
        drugTrace.connect(manufacturer).ship(batchId, distributor.address, 1n),
    );
  });

  /*
   * The three ways a pending shipment is settled: the recipient accepts (and is credited) or
   * rejects, the sender cancels; rejecting and cancelling return the units to the sender.
   */
  type Pending = Awaited<ReturnType<typeof dt.pendingFixture>>;
  type Party = "manufacturer" | "distributor" | "pharmacy" | "stranger";
  type Outcome = "Accepted" | "Rejected" | "Cancelled";
  interface Settlement {
    fn: "acceptShipment" | "rejectShipment" | "cancelShipment";
    outcome: Outcome;
    settles: string;
    /** Who is refused with the not-sender or not-recipient error, under the title `refusal`. */
    outsiders: readonly Party[];
    refusal: string;
  }
  const SETTLEMENTS: readonly Settlement[] = [
    {
      fn: "acceptShipment",
      outcome: "Accepted",
      settles: "credits the named recipient and closes the shipment",
      outsiders: ["stranger", "pharmacy", "manufacturer"],
      refusal: "reverts when someone the sender did not name claims the custody (attack)",
    },
    {
      fn: "rejectShipment",
      outcome: "Rejected",
      settles: "returns the units to the sender",
      outsiders: ["manufacturer", "stranger"],
      refusal: "reverts when anyone but the recipient rejects",
    },
    {
      fn: "cancelShipment",
      outcome: "Cancelled",
      settles: "returns the units to the sender before acceptance",
      outsiders: ["distributor", "stranger"],
      refusal: "reverts when anyone but the sender cancels",
    },
  ];

  /** The pending shipment's sender (manufacturer) cancels; its recipient accepts or rejects. */
  function settlerOf({
    outcome,
  }: Settlement): ["manufacturer", "distributor"] | ["distributor", "manufacturer"] {
    return outcome === "Cancelled"
      ? ["manufacturer", "distributor"]
      : ["distributor", "manufacturer"];
  }

  /** `signer` (by default the entitled party) settles shipment `shipmentId` as `settlement` does. */
  function settle(
    f: Pending,
    settlement: Settlement,
    shipmentId: bigint,
    signer: Pending[Party] = f[settlerOf(settlement)[0]],
  ): Promise<unknown> {
    return f.drugTrace.connect(signer)[settlement.fn](shipmentId);
  }

  /** Holdings once the pending 30 units are settled: credited to the distributor or sent back. */
  async function expectSettled(f: Pending, { outcome }: Settlement) {
    const toRecipient = outcome === "Accepted" ? 30n : 0n;
    expect(await f.drugTrace.holdingOf(f.batchId, f.distributor.address)).to.equal(
      150n + toRecipient,
    );
    expect(await f.drugTrace.holdingOf(f.batchId, f.manufacturer.address)).to.equal(
      dt.UNIT_COUNT - 200n - toRecipient,
    );
  }

  for (const settlement of SETTLEMENTS) {
    describe(settlement.fn, function () {
      it(settlement.settles, async function () {
        const f = await dt.networkHelpers.loadFixture(dt.pendingFixture);
        const { drugTrace, batchId, pending } = f;
        await expect(settle(f, settlement, pending))
          .to.emit(drugTrace, `Shipment${settlement.outcome}`)
          .withArgs(
            batchId,
            pending,
            ...settlerOf(settlement).map((party) => f[party].address),
            30n,
          );
        expect(await drugTrace.shipmentStateOf(pending)).to.equal(
          dt.ShipmentState[settlement.outcome],
        );
        await expectSettled(f, settlement);
      });

      it("settles a shipment whatever happened to the batch meanwhile", async function () {
        const f = await dt.networkHelpers.loadFixture(dt.pendingFixture);
        await f.drugTrace.connect(f.regulator).recall(f.batchId, 1n, dt.EVIDENCE);
        await settle(f, settlement, f.pending);
        await expectSettled(f, settlement);
      });

      it(settlement.refusal, async function () {
        const f = await dt.networkHelpers.loadFixture(dt.pendingFixture);
        await dt.refusesEach(
          dt.watchTrace(f, [f.batchId], [f.pending]),
          settlement.outsiders.map((party) => f[party]),
          settlement.outcome === "Cancelled"
            ? "DrugTraceNotShipmentSender"
            : "DrugTraceNotShipmentRecipient",
          (signer) => [f.pending, signer.address],
          (signer) => settle(f, settlement, f.pending, signer),
        );
      });

      it("reverts for an unknown shipment", async function () {
        const f = await dt.networkHelpers.loadFixture(dt.pendingFixture);
        const unknown = dt.shipmentIdOf(9n, f.manufacturer.address);
        await dt.refuses(
          dt.watchTrace(f, [f.batchId], [unknown]),
          "DrugTraceUnexpectedShipmentState",
          [unknown, dt.ShipmentState.None, dt.expectedStates(dt.ShipmentState.Pending)],
          () => settle(f, settlement, unknown),
        );
      });

      it("reverts when the shipment was already accepted, rejected or cancelled", async function () {
        for (const first of SETTLEMENTS) {
          const f = await dt.networkHelpers.loadFixture(dt.pendingFixture);
          await settle(f, first, f.pending);
          await dt.refuses(
            dt.watchTrace(f, [f.batchId], [f.pending]),
            "DrugTraceUnexpectedShipmentState",
            [
              f.pending,
              dt.ShipmentState[first.outcome],
              dt.expectedStates(dt.ShipmentState.Pending),
            ],
            () => settle(f, settlement, f.pending),
          );
        }
      });

      dt.itRevertsWhenPaused(dt.pendingFixture, (f) => settle(f, settlement, f.pending));
    });
  }

  describe("conservation", function () {
    it("keeps holdings + in transit = registered − dispensed along a journey", async function () {
      const { drugTrace, manufacturer, distributor, pharmacy, pharmacy2, batchId } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0);
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 256);
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 20n);
      await drugTrace.connect(pharmacy2).rejectShipment(dt.shipmentIdOf(4n, distributor.address));
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 15n);

      let held = 0n;
      for (const holder of [manufacturer, distributor, pharmacy, pharmacy2]) {
        held += await drugTrace.holdingOf(batchId, holder.address);
      }
      const inTransit =
        (await drugTrace.shipmentOf(dt.shipmentIdOf(3n, manufacturer.address))).quantity +
        (await drugTrace.shipmentOf(dt.shipmentIdOf(5n, distributor.address))).quantity;
      expect(held + inTransit).to.equal(dt.UNIT_COUNT - 2n);
    });
  });
});
