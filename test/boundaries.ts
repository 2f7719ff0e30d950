import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

/*
 * The layers' boundaries (issue 15): `sdk/` is a library the page, scripts, tasks and tests share,
 * so it never parses the command line or prints; `scripts/` and `test/` share code only through
 * `support/`.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

function sourcesUnder(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => path.posix.join(folder, file.split(path.sep).join("/")));
}

/** The code of a TypeScript file without its comments (JSDoc examples may show `console.log`). */
function codeOf(file: string, text = readFileSync(path.join(ROOT, file), "utf8")): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
}

/** The top-level folders a file imports from (relative specifiers only). */
function importedFolders(file: string, code = codeOf(file)): string[] {
  const specifiers = [...code.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)];
  return specifiers.map(
    ([, specifier]) =>
      path.posix
        .relative(ROOT, path.posix.join(ROOT, path.posix.dirname(file), specifier ?? ""))
        .split("/")[0] ?? "",
  );
}

/** Whether code (comments removed) writes to the terminal or reads argv. */
function prints(code: string): boolean {
  return /\bconsole\.|process\.(argv|stdout|stderr|exit)\b/.test(code);
}

function offenders(folder: string, test: (file: string) => boolean): string[] {
  return sourcesUnder(folder).filter(test);
}

describe("layer boundaries", function () {
  it("sdk/ never parses argv, prints, or imports tasks, scripts, test or support", function () {
    expect(offenders("sdk", (file) => prints(codeOf(file)))).to.deep.equal([]);
    expect(
      offenders("sdk", (file) =>
        importedFolders(file).some((top) => ["tasks", "scripts", "test", "support"].includes(top)),
      ),
    ).to.deep.equal([]);
  });

  it("test/ never imports scripts/, and scripts/ never imports test/", function () {
    expect(offenders("test", (file) => importedFolders(file).includes("scripts"))).to.deep.equal(
      [],
    );
    expect(offenders("scripts", (file) => importedFolders(file).includes("test"))).to.deep.equal(
      [],
    );
    expect(
      offenders("support", (file) =>
        importedFolders(file).some((top) => top === "test" || top === "scripts"),
      ),
    ).to.deep.equal([]);
  });

  it("the checks can fail: they see an import of scripts/ and a console call, not a comment", function () {
    const code = codeOf(
      "test/x/y.ts",
      '// console.log(1)\nimport { a } from "../../scripts/demo.js";\n',
    );
    expect(importedFolders("test/x/y.ts", code)).to.deep.equal(["scripts"]);
    expect(prints(code)).to.equal(false);
    expect(prints(codeOf("sdk/x.ts", "/** console.log(1) */\nconsole.log(2);"))).to.equal(true);
  });
});
