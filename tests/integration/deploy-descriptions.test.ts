/**
 * The deployment descriptions, validated offline (issue 17 part 4): docker-compose.yml through
 * compose-go (the loader of `docker compose` itself: the compose-spec schema, interpolation,
 * merging), and the Kubernetes base and overlays through kustomize with every built-in object
 * decoded strictly into its typed Go struct (scripts/deploy-check). KEDA's ScaledObject is not
 * compiled in: checkScaledObject below checks the fields we use. Then what the arena needs of
 * them: the object store wired everywhere, nothing shared between replicas, secrets only from
 * Secrets, probes on the right /api/health probe, the runner's privileges the same as in compose,
 * and the scaler on the real BullMQ lists. Each validator is also shown a broken copy that it must
 * refuse.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { QUEUES } from "@/lib/jobs/constants";
import { queueListKey } from "@/lib/jobs/queue-keys";
import { deployCheck, runCheck } from "@/tests/support/deploy-check";
import { checkScaledObject, checkTriggerAuthentication } from "@/tests/support/keda-check";

const ROOT = path.resolve(import.meta.dirname, "../..");
const KUBE = path.join(ROOT, "docs", "deploy", "kubernetes");
const ENV = ["AUTH_SECRET=" + "a".repeat(40), "ASSET_S3_SECRET_ACCESS_KEY=test-secret-key-1"];

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let binary = "";
const scratch = mkdtempSync(path.join(os.tmpdir(), "arena-deploy-check-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

before(() => {
  const built = deployCheck();
  binary = built.binary;
  if (built.builtInSec !== null) console.log(`# deploy-check built in ${built.builtInSec.toFixed(1)} s (${path.relative(ROOT, binary)}, cached from now on)`);
});

function compose(files: string[], env = ENV): Json {
  const r = runCheck(binary, ["compose", ...files, ...env]);
  assert.ok(r.ok, r.err);
  return JSON.parse(r.out) as Json;
}

function kube(dir: string): Json[] {
  const r = runCheck(binary, ["kube", dir]);
  assert.ok(r.ok, r.err);
  return JSON.parse(r.out) as Json[];
}

describe("docker-compose.yml", () => {
  const APP = ["migrate", "web", "worker-generation", "worker-scoring", "worker-ratings", "blender-runner"];
  let p: Json;
  before(() => {
    p = compose(["docker-compose.yml"]);
  });

  it("is a valid compose project with an object store every app service reaches through the S3 env", () => {
    assert.match(p.services["object-store"].image, /^chrislusf\/seaweedfs:/);
    for (const name of APP) {
      const s = p.services[name];
      assert.ok(s, name);
      assert.equal(s.environment.ASSET_STORE, "s3", name);
      assert.equal(s.environment.ASSET_S3_ENDPOINT, "http://object-store:8333", name);
      assert.equal(s.environment.ASSET_S3_SECRET_ACCESS_KEY, "test-secret-key-1", name);
      for (const k of ["ASSET_S3_BUCKET", "ASSET_S3_REGION", "ASSET_S3_ACCESS_KEY_ID", "ASSET_S3_FORCE_PATH_STYLE"]) assert.ok(s.environment[k], `${name}: ${k}`);
      assert.equal(s.depends_on["object-store-bucket"]?.condition, "service_completed_successfully", name);
    }
    // The store's own key is the one the services use.
    assert.match(p.configs["seaweedfs-s3"].content, /"secretKey": "test-secret-key-1"/);
  });

  it("scales: no shared asset volume, and no fixed name or host port on any service but the web's", () => {
    assert.equal(p.volumes.assets, undefined);
    for (const name of APP) {
      for (const v of p.services[name].volumes ?? []) assert.notEqual(v.target, "/data", `${name} mounts a shared /data`);
    }
    for (const [name, s] of Object.entries<Json>(p.services)) {
      assert.equal(s.container_name, undefined, `${name} has a container_name`);
      if (name !== "web") assert.equal(s.ports, undefined, `${name} publishes a port`);
    }
  });

  it("the Blender runner gets EXEC_DEVICE and never a model provider key", () => {
    const env = p.services["blender-runner"].environment;
    assert.equal(env.EXEC_DEVICE, "cpu");
    for (const k of Object.keys(env)) assert.doesNotMatch(k, /API_KEY/, k);
  });

  it("the GPU override merges: OptiX and an NVIDIA device reservation", () => {
    const gpu = compose(["docker-compose.yml", "docker-compose.gpu.yml"]).services["blender-runner"];
    assert.equal(gpu.environment.EXEC_DEVICE, "optix");
    assert.deepEqual(gpu.deploy.resources.reservations.devices[0].capabilities, ["gpu"]);
    assert.ok(gpu.cap_add.includes("SYS_ADMIN"), "the base service's settings survive the merge");
  });

  it("runners on one host get disjoint sandbox uid ranges: the second-runner override", () => {
    const s = compose(["docker-compose.yml", "docker-compose.second-runner.yml"]).services;
    const range = (name: string) => {
      const e = s[name].environment;
      const base = Number(e.EXEC_SANDBOX_UID_BASE);
      return [base, base + Number(e.EXEC_SANDBOX_UID_COUNT)] as const;
    };
    const [a0, a1] = range("blender-runner");
    const [b0, b1] = range("blender-runner-2");
    assert.ok(a1 <= b0 || b1 <= a0, `uid ranges overlap: ${a0}-${a1} and ${b0}-${b1}`);
    // Everything else is the first runner's: privileges, the store, the device.
    assert.deepEqual(s["blender-runner-2"].cap_add, s["blender-runner"].cap_add);
    assert.equal(s["blender-runner-2"].environment.ASSET_S3_ENDPOINT, "http://object-store:8333");
    assert.equal(s["blender-runner-2"].environment.EXEC_DEVICE, "cpu");
    assert.equal(s["blender-runner-2"].container_name, undefined);
  });

  it("refuses a missing secret, naming it", () => {
    const r = runCheck(binary, ["compose", "docker-compose.yml", ENV[0]!]);
    assert.equal(r.ok, false);
    assert.match(r.err, /ASSET_S3_SECRET_ACCESS_KEY/);
  });

  it("refuses a misspelt field", () => {
    const broken = path.join(ROOT, "docker-compose.yml");
    const text = readFileSync(broken, "utf8");
    assert.ok(text.includes("    cap_drop: [ALL]\n"));
    const file = path.join(scratch, "docker-compose.yml");
    writeFileSync(file, text.replace("    cap_drop: [ALL]\n", "    cap_dropp: [ALL]\n"));
    const r = runCheck(binary, ["compose", file, ...ENV]);
    assert.equal(r.ok, false);
    assert.match(r.err, /cap_dropp/);
  });
});

describe("Kubernetes manifests (kustomize)", () => {
  const rendered: Record<string, Json[]> = {};
  before(() => {
    for (const dir of ["base", "overlays/production", "overlays/gpu-nodes"]) rendered[dir] = kube(path.join(KUBE, dir));
  });
  const all = () => Object.entries(rendered);
  const of = (objs: Json[], kind: string) => objs.filter((o) => o.kind === kind);
  const containers = (d: Json): Json[] => [...(d.spec.template.spec.initContainers ?? []), ...d.spec.template.spec.containers];
  const workloads = (objs: Json[]) => [...of(objs, "Deployment"), ...of(objs, "Job")];

  it("every worker process has a Deployment, every Deployment's selector matches its pods, every Service finds one", () => {
    for (const [dir, objs] of all()) {
      const commands = of(objs, "Deployment").map((d) => (d.spec.template.spec.containers[0].command ?? []).join(" "));
      for (const f of readdirSync(path.join(ROOT, "workers"))) {
        if (f === "execution.ts") {
          // The runner image's CMD starts workers/execution.ts (blender-runner/Dockerfile).
          const runner = of(objs, "Deployment").find((d) => d.metadata.name === "blender-runner");
          assert.match(runner?.spec.template.spec.containers[0].image ?? "", /blender-runner/, dir);
          assert.match(readFileSync(path.join(ROOT, "blender-runner", "Dockerfile"), "utf8"), /CMD \["node", "--import", "tsx", "workers\/execution\.ts"\]/);
        } else assert.ok(commands.some((c) => c.endsWith(`workers/${f}`)), `${dir}: no Deployment runs workers/${f}`);
      }
      for (const d of of(objs, "Deployment")) {
        for (const [k, v] of Object.entries<string>(d.spec.selector.matchLabels)) assert.equal(d.spec.template.metadata.labels[k], v, `${dir} ${d.metadata.name}`);
      }
      for (const s of of(objs, "Service")) {
        const match = of(objs, "Deployment").filter((d) => Object.entries<string>(s.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
        assert.equal(match.length, 1, `${dir} Service ${s.metadata.name}`);
      }
    }
  });

  it("the web tier's probes use /api/health's live and ready probes", () => {
    for (const [dir, objs] of all()) {
      const web = of(objs, "Deployment").find((d) => d.metadata.name === "web")!;
      const c = web.spec.template.spec.containers[0];
      assert.equal(c.livenessProbe.httpGet.path, "/api/health?probe=live", dir);
      assert.equal(c.startupProbe.httpGet.path, "/api/health?probe=live", dir);
      assert.equal(c.readinessProbe.httpGet.path, "/api/health?probe=ready", dir);
    }
  });

  it("secrets come only from Secrets; model keys reach the web tier and the generation worker, never the runner", () => {
    for (const [dir, objs] of all()) {
      for (const w of workloads(objs)) {
        for (const c of containers(w)) {
          const from = (c.envFrom ?? []).map((e: Json) => e.secretRef?.name).filter(Boolean);
          assert.ok(from.includes("arena-secrets"), `${dir} ${w.metadata.name}: no arena-secrets`);
          assert.equal(from.includes("arena-provider-keys"), ["web", "worker-generation"].includes(w.metadata.name), `${dir} ${w.metadata.name}: provider keys`);
          for (const e of c.env ?? []) assert.doesNotMatch(e.name, /SECRET|PASSWORD|API_KEY|ACCESS_KEY|DATABASE_URL|REDIS_URL/, `${dir} ${w.metadata.name}: ${e.name} as a literal`);
        }
      }
      for (const cm of of(objs, "ConfigMap")) for (const k of Object.keys(cm.data)) assert.doesNotMatch(k, /SECRET|PASSWORD|API_KEY|ACCESS_KEY|DATABASE_URL|REDIS_URL/, `${dir} ConfigMap ${k}`);
      assert.equal(of(objs, "Secret").length, 0, `${dir}: a Secret with values in the repository`);
    }
  });

  it("every container has requests; the runner has the compose file's capabilities, unconfined seccomp and AppArmor, and no privileged mode", () => {
    const composeCaps = compose(["docker-compose.yml"]).services["blender-runner"].cap_add as string[];
    for (const [dir, objs] of all()) {
      for (const w of workloads(objs)) for (const c of containers(w)) assert.ok(c.resources?.requests?.cpu && c.resources?.requests?.memory, `${dir} ${w.metadata.name}`);
      const runner = of(objs, "Deployment").find((d) => d.metadata.name === "blender-runner")!;
      const sc = runner.spec.template.spec.containers[0].securityContext;
      assert.deepEqual([...sc.capabilities.add].sort(), [...composeCaps].sort(), dir);
      assert.deepEqual(sc.capabilities.drop, ["ALL"]);
      assert.equal(sc.privileged, false);
      assert.equal(sc.seccompProfile.type, "Unconfined");
      assert.equal(sc.appArmorProfile.type, "Unconfined");
      assert.equal(runner.spec.template.spec.hostPID ?? false, false);
      // Sandbox uids are per pod: two runner pods on one node would share RLIMIT_NPROC counts.
      const anti = runner.spec.template.spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
      assert.equal(anti.topologyKey, "kubernetes.io/hostname");
      assert.deepEqual(anti.labelSelector.matchLabels, runner.spec.selector.matchLabels);
      for (const w of workloads(objs).filter((x) => x.metadata.name !== "blender-runner")) {
        for (const c of containers(w)) {
          assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${dir} ${w.metadata.name}`);
          assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"], `${dir} ${w.metadata.name}`);
        }
      }
    }
  });

  it("KEDA scales the runner on the execution queue's real BullMQ lists", () => {
    const lists = [queueListKey(QUEUES.execution, "wait"), queueListKey(QUEUES.execution, "active")];
    assert.deepEqual(lists, ["bull:execution:wait", "bull:execution:active"]);
    for (const [dir, objs] of all()) {
      const [so, ...more] = of(objs, "ScaledObject");
      assert.ok(so && more.length === 0, dir);
      const auths = of(objs, "TriggerAuthentication");
      for (const a of auths) assert.deepEqual(checkTriggerAuthentication(a), [], dir);
      assert.deepEqual(checkScaledObject(so, { deployments: of(objs, "Deployment").map((d) => d.metadata.name), auths: auths.map((a) => a.metadata.name) }), [], dir);
      assert.equal(so.spec.scaleTargetRef.name, "blender-runner");
      assert.deepEqual(so.spec.triggers.map((t: Json) => t.metadata.listName), lists, dir);
      // One replica per EXEC_CONCURRENCY jobs.
      const runner = of(objs, "Deployment").find((d) => d.metadata.name === "blender-runner")!;
      const conc = runner.spec.template.spec.containers[0].env.find((e: Json) => e.name === "EXEC_CONCURRENCY").value;
      for (const t of so.spec.triggers) assert.equal(t.metadata.listLength, conc, dir);
      assert.equal(runner.spec.replicas, undefined, `${dir}: replicas fight KEDA`);
    }
    assert.equal(of(rendered["overlays/production"]!, "ScaledObject")[0]!.spec.maxReplicaCount, 20);
  });

  it("the GPU overlay asks for a GPU and OptiX", () => {
    const runner = of(rendered["overlays/gpu-nodes"]!, "Deployment").find((d) => d.metadata.name === "blender-runner")!;
    const c = runner.spec.template.spec.containers[0];
    assert.equal(c.env.find((e: Json) => e.name === "EXEC_DEVICE")?.value, "optix");
    assert.equal(c.resources.limits["nvidia.com/gpu"], "1");
  });

  it("refuses a misspelt field in a built-in object, and an unknown kind", () => {
    const copy = path.join(scratch, "kube");
    cpSync(path.join(KUBE, "base"), copy, { recursive: true });
    const web = path.join(copy, "web.yaml");
    const text = readFileSync(web, "utf8");
    assert.ok(text.includes("          readinessProbe:\n"));
    writeFileSync(web, text.replace("          readinessProbe:\n", "          readinessProbes:\n"));
    const r = runCheck(binary, ["kube", copy]);
    assert.equal(r.ok, false);
    assert.match(r.err, /Deployment web: .*unknown field "spec\.template\.spec\.containers\[0\]\.readinessProbes"|Deployment web: .*readinessProbes/);

    writeFileSync(web, text.replace("kind: Service\n", "kind: Servise\n"));
    const r2 = runCheck(binary, ["kube", copy]);
    assert.equal(r2.ok, false);
    assert.match(r2.err, /v1\/Servise web: no schema/);
  });

  it("the ScaledObject check refuses a misspelt or mistyped field", () => {
    const so = of(rendered.base!, "ScaledObject")[0]!;
    const ctx = { deployments: ["blender-runner"], auths: ["arena-redis"] };
    const clone = () => JSON.parse(JSON.stringify(so)) as Json;
    const a = clone();
    a.spec.minReplicas = a.spec.minReplicaCount;
    delete a.spec.minReplicaCount;
    assert.deepEqual(checkScaledObject(a, ctx), ["spec.minReplicas: unknown field"]);
    const b = clone();
    b.spec.triggers[0].metadata.listLength = 2;
    assert.deepEqual(checkScaledObject(b, ctx), ["spec.triggers[0].metadata.listLength: must be a string"]);
    const c = clone();
    c.spec.scaleTargetRef.name = "blender-runer";
    assert.deepEqual(checkScaledObject(c, ctx), ["spec.scaleTargetRef.name: no Deployment blender-runer"]);
    const d = clone();
    d.spec.triggers[1].type = "redis-list";
    assert.deepEqual(checkScaledObject(d, ctx), ["spec.triggers[1].type: must be redis"]);
  });
});
