/**
 * A hand-written check of the KEDA objects' fields that docs/deploy/kubernetes uses (KEDA's CRD
 * schema is not vendored here): keda.sh/v1alpha1 ScaledObject with Redis list triggers, and the
 * TriggerAuthentication they name. Unknown fields are refused, as the CRD's structural schema does
 * on the server; values KEDA reads as strings (trigger metadata) must be strings. Returns the
 * problems, [] when none.
 */
type Json = Record<string, unknown>;

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;

function fields(at: string, v: unknown, allowed: Record<string, (v: unknown, at: string) => string[]>, required: string[] = []): string[] {
  if (!isObj(v)) return [`${at}: must be an object`];
  const out: string[] = [];
  for (const k of Object.keys(v)) {
    const check = allowed[k];
    out.push(...(check ? check(v[k], `${at}.${k}`) : [`${at}.${k}: unknown field`]));
  }
  for (const k of required) if (!(k in v)) out.push(`${at}.${k}: required`);
  return out;
}

const str = (v: unknown, at: string) => (typeof v === "string" && v.length > 0 ? [] : [`${at}: must be a string`]);
const int = (v: unknown, at: string) => (isInt(v) ? [] : [`${at}: must be a non-negative integer`]);
const any = () => [];
const meta = (v: unknown, at: string) => fields(at, v, { name: str, namespace: str, labels: any, annotations: any }, ["name"]);
const numeric = (v: unknown, at: string) => (typeof v === "string" && /^\d+$/.test(v) ? [] : [`${at}: must be a string`]);

/** The Redis scaler's list trigger (https://keda.sh/docs/scalers/redis-lists/), as far as we use it. */
function redisTrigger(auths: string[]) {
  return (v: unknown, at: string) =>
    fields(
      at,
      v,
      {
        type: (t, a) => (t === "redis" ? [] : [`${a}: must be redis`]),
        name: str,
        metadata: (m, a) =>
          fields(a, m, { listName: str, listLength: numeric, activationListLength: numeric, databaseIndex: numeric, enableTLS: (x, b) => (x === "true" || x === "false" ? [] : [`${b}: must be "true" or "false"`]) }, ["listName", "listLength"]),
        authenticationRef: (r, a) =>
          fields(a, r, { name: (n, b) => (typeof n === "string" && auths.includes(n) ? [] : [`${b}: no TriggerAuthentication ${String(n)}`]), kind: str }, ["name"]),
      },
      ["type", "metadata"],
    );
}

export function checkScaledObject(o: Json, ctx: { deployments: string[]; auths: string[] }): string[] {
  if (o.apiVersion !== "keda.sh/v1alpha1" || o.kind !== "ScaledObject") return ["not a keda.sh/v1alpha1 ScaledObject"];
  const out = fields(".", o, { apiVersion: any, kind: any, metadata: meta, spec: any }, ["metadata", "spec"]).map((p) => p.replace(/^\.\./, ""));
  const spec = o.spec;
  out.push(
    ...fields("spec", spec, {
      scaleTargetRef: (r, a) =>
        fields(a, r, { name: (n, b) => (typeof n === "string" && ctx.deployments.includes(n) ? [] : [`${b}: no Deployment ${String(n)}`]), kind: str, apiVersion: str }, ["name"]),
      minReplicaCount: int,
      maxReplicaCount: int,
      idleReplicaCount: int,
      pollingInterval: int,
      cooldownPeriod: int,
      triggers: (t, a) => (Array.isArray(t) && t.length > 0 ? t.flatMap((x, i) => redisTrigger(ctx.auths)(x, `${a}[${i}]`)) : [`${a}: must be a non-empty list`]),
    }, ["scaleTargetRef", "triggers"]),
  );
  if (isObj(spec) && isInt(spec.minReplicaCount) && isInt(spec.maxReplicaCount) && (spec.minReplicaCount as number) > (spec.maxReplicaCount as number)) {
    out.push("spec.minReplicaCount: above maxReplicaCount");
  }
  return out;
}

export function checkTriggerAuthentication(o: Json): string[] {
  if (o.apiVersion !== "keda.sh/v1alpha1" || o.kind !== "TriggerAuthentication") return ["not a keda.sh/v1alpha1 TriggerAuthentication"];
  const out = fields(".", o, { apiVersion: any, kind: any, metadata: meta, spec: any }, ["metadata", "spec"]).map((p) => p.replace(/^\.\./, ""));
  out.push(
    ...fields("spec", o.spec, {
      secretTargetRef: (refs, a) =>
        Array.isArray(refs) && refs.length > 0
          ? refs.flatMap((r, i) => fields(`${a}[${i}]`, r, { parameter: (p, b) => (["address", "host", "port", "username", "password"].includes(p as string) ? [] : [`${b}: not a Redis scaler parameter`]), name: str, key: str }, ["parameter", "name", "key"]))
          : [`${a}: must be a non-empty list`],
    }, ["secretTargetRef"]),
  );
  return out;
}
