/**
 * Proves the database built by the committed migrations matches prisma/schema.prisma: every model,
 * field, type, nullability, default, unique, index, primary key, foreign key and enum, read from
 * Prisma's DMMF on one side and from the PostgreSQL catalog on the other.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import internals from "@prisma/internals";
import pg from "pg";
import { requireEnv } from "../support/env";

type Field = {
  name: string;
  kind: string;
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  isUpdatedAt: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
};
type Model = { name: string; fields: Field[] };

const PG_TYPE: Record<string, string> = {
  String: "text",
  Int: "integer",
  Float: "double precision",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Json: "jsonb",
  BigInt: "bigint",
};
const ON_DELETE: Record<string, string> = { Cascade: "CASCADE", Restrict: "RESTRICT", SetNull: "SET NULL", NoAction: "NO ACTION", SetDefault: "SET DEFAULT" };

function expectedDefault(f: Field, enums: Set<string>): string {
  if (!f.hasDefaultValue) return "-";
  const d = f.default as unknown;
  if (d && typeof d === "object" && "name" in (d as object)) {
    const name = (d as { name: string }).name;
    return name === "now" ? "CURRENT_TIMESTAMP" : name === "autoincrement" ? "autoincrement" : "-";
  }
  if (f.type === "String" || f.type === "Json" || enums.has(f.type)) return `'${String(d)}'`;
  return String(d);
}

/** Catalog defaults carry casts ('voter'::"Role", '{}'::jsonb, '0'::double precision). */
function normaliseDefault(raw: string | null): string {
  if (raw === null) return "-";
  // SERIAL / BIGSERIAL: Prisma's @default(autoincrement()).
  if (/^nextval\('[^']+'::regclass\)$/.test(raw)) return "autoincrement";
  const m = /^'(.*)'::[\w" ().]+$/.exec(raw);
  if (m) return /^-?\d+(\.\d+)?$/.test(m[1]!) ? m[1]! : `'${m[1]}'`;
  return raw;
}

async function expectedFromDmmf(): Promise<string[]> {
  const dmmf = (await internals.getDMMF({ datamodel: readFileSync("prisma/schema.prisma", "utf8") })) as unknown as {
    datamodel: { models: Model[]; enums: { name: string; values: { name: string }[] }[]; indexes: { model: string; type: string; fields: { name: string }[] }[] };
  };
  const dm = dmmf.datamodel;
  const enums = new Set(dm.enums.map((e) => e.name));
  const out: string[] = [];
  for (const e of dm.enums) out.push(`enum ${e.name}(${e.values.map((v) => v.name).join(",")})`);
  for (const m of dm.models) {
    out.push(`table ${m.name}`);
    for (const f of m.fields) {
      if (f.kind === "object") {
        if (f.relationFromFields?.length) {
          const od = ON_DELETE[f.relationOnDelete ?? (f.isRequired ? "Restrict" : "SetNull")];
          out.push(`fk ${m.name}(${f.relationFromFields.join(",")})->${f.type}(${f.relationToFields!.join(",")}) delete=${od} update=CASCADE`);
        }
        continue;
      }
      const type = enums.has(f.type) ? f.type : PG_TYPE[f.type];
      assert.ok(type, `no PostgreSQL type mapping for ${m.name}.${f.name}: ${f.type}`);
      const nullable = f.isRequired && !f.isList ? "NOT NULL" : "NULL";
      out.push(`column ${m.name}.${f.name} ${type}${f.isList ? "[]" : ""} ${nullable} default=${expectedDefault(f, enums)}`);
    }
  }
  for (const i of dm.indexes) {
    const cols = i.fields.map((f) => f.name).join(",");
    out.push(i.type === "id" ? `pk ${i.model}(${cols})` : `index ${i.type === "unique" ? "unique" : "normal"} ${i.model}(${cols})`);
  }
  return out.sort();
}

async function actualFromCatalog(client: pg.Client): Promise<string[]> {
  const out: string[] = [];
  const enums = await client.query<{ name: string; values: string[] }>(`
    SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS values
    FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = 'public' GROUP BY t.typname`);
  for (const e of enums.rows) out.push(`enum ${e.name}(${e.values.join(",")})`);

  const cols = await client.query<{ table: string; column: string; type: string; notnull: boolean; def: string | null }>(`
    SELECT c.relname AS table, a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
           a.attnotnull AS notnull, pg_get_expr(d.adbin, d.adrelid) AS def
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> '_prisma_migrations'`);
  const tables = new Set<string>();
  for (const c of cols.rows) {
    tables.add(c.table);
    const type = c.type.replace(/^"(.*)"(\[\])?$/, "$1$2");
    out.push(`column ${c.table}.${c.column} ${type} ${c.notnull ? "NOT NULL" : "NULL"} default=${normaliseDefault(c.def)}`);
  }
  for (const t of tables) out.push(`table ${t}`);

  const idx = await client.query<{ table: string; unique: boolean; primary: boolean; cols: string[] }>(`
    SELECT t.relname AS table, ix.indisunique AS unique, ix.indisprimary AS primary,
           array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS cols
    FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = 'public' AND t.relname <> '_prisma_migrations'`);
  for (const i of idx.rows) {
    out.push(i.primary ? `pk ${i.table}(${i.cols.join(",")})` : `index ${i.unique ? "unique" : "normal"} ${i.table}(${i.cols.join(",")})`);
  }

  const fks = await client.query<{ table: string; cols: string[]; ref: string; refcols: string[]; del: string; upd: string }>(`
    SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS ref,
           array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS cols,
           array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n ORDER BY k.o)::text[] AS refcols,
           c.confdeltype AS del, c.confupdtype AS upd
    FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = 'public'`);
  const ACTION: Record<string, string> = { a: "NO ACTION", r: "RESTRICT", c: "CASCADE", n: "SET NULL", d: "SET DEFAULT" };
  for (const f of fks.rows) {
    const strip = (s: string) => s.replace(/^"|"$/g, "");
    out.push(`fk ${strip(f.table)}(${f.cols.join(",")})->${strip(f.ref)}(${f.refcols.join(",")}) delete=${ACTION[f.del]} update=${ACTION[f.upd]}`);
  }
  return out.sort();
}

test("migrated database matches schema.prisma exactly", async () => {
  const client = new pg.Client({ connectionString: requireEnv("DATABASE_URL") });
  await client.connect();
  try {
    const expected = await expectedFromDmmf();
    const actual = await actualFromCatalog(client);
    const missing = expected.filter((e) => !actual.includes(e));
    const extra = actual.filter((a) => !expected.includes(a));
    assert.deepEqual(
      { missingInDatabase: missing, notInSchema: extra },
      { missingInDatabase: [], notInSchema: [] },
      "schema.prisma and prisma/migrations have drifted: add a migration for the difference",
    );
    // Spot checks that do not depend on the mapping above.
    assert.ok(actual.includes("index unique Vote(battleId)"), "one vote per battle");
    assert.ok(actual.some((a) => a.startsWith("fk Vote(battleId)->Battle(id) delete=RESTRICT")), "votes are never cascaded away");
  } finally {
    await client.end();
  }
});

test("the migration applier records migrations the way prisma migrate does", async () => {
  const client = new pg.Client({ connectionString: requireEnv("DATABASE_URL") });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`);
    const { readMigrations } = await import("@/lib/db/migrate");
    const files = await readMigrations("prisma/migrations");
    assert.deepEqual(rows.map((r) => r.migration_name), files.map((f) => f.name));
    for (const [i, r] of rows.entries()) {
      assert.equal(r.checksum, files[i]!.checksum);
      assert.ok(r.finished_at instanceof Date);
      assert.equal(r.applied_steps_count, 1);
    }
  } finally {
    await client.end();
  }
});
