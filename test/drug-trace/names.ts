import { expect } from "chai";
import { ZeroAddress } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("setParticipantName and nameOf", function () {
    it("lets a regulator name a pharmacy, rename and clear; nameOf is empty for the unnamed", async function () {
      const { drugTrace, regulator, pharmacy, manufacturer, stranger } =
        await dt.networkHelpers.loadFixture(dt.deployFixture);
      expect(await drugTrace.nameOf(manufacturer.address)).to.equal(dt.ACME);
      expect(await drugTrace.nameOf(stranger.address)).to.equal("");
      await expect(
        drugTrace.connect(regulator).setParticipantName(pharmacy.address, "Apotheke am Markt"),
      )
        .to.emit(drugTrace, "ParticipantNamed")
        .withArgs(pharmacy.address, "Apotheke am Markt", regulator.address);
      expect(await drugTrace.nameOf(pharmacy.address)).to.equal("Apotheke am Markt");
      await drugTrace.connect(regulator).setParticipantName(pharmacy.address, "");
      expect(await drugTrace.nameOf(pharmacy.address)).to.equal("");
    });

    it("reverts for anyone but a regulator (attack: a pharmacy naming itself after a brand) and on a bad name", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace, regulator, pharmacy } = fixture;
      const long = "x".repeat(65);
      await dt.expectNothingChanged(dt.traceState(fixture, []), async () => {
        await dt.expectUnauthorized(
          drugTrace.connect(pharmacy).setParticipantName(pharmacy.address, dt.ACME),
          drugTrace,
          pharmacy.address,
          "REGULATOR_ROLE",
        );
        await dt.expectRevert(
          drugTrace.connect(regulator).setParticipantName(pharmacy.address, long),
          drugTrace,
          "DrugTraceInvalidName",
          long,
        );
        await dt.expectRevert(
          drugTrace.connect(regulator).setParticipantName(ZeroAddress, "X"),
          drugTrace,
          "DrugTraceZeroAccount",
        );
      });
      // 64 bytes of UTF-8 is the limit, not 64 characters.
      await drugTrace.connect(regulator).setParticipantName(pharmacy.address, "ü".repeat(32));
      await dt.expectRevert(
        drugTrace.connect(regulator).setParticipantName(pharmacy.address, "ü".repeat(33)),
        drugTrace,
        "DrugTraceInvalidName",
      );
    });
  });
});
