// deploy-check validates the deployment descriptions offline (docs/deploy.md, tests/unit/deploy-*.test.ts):
//
//	deploy-check compose <docker-compose.yml> [<override.yml> ...] [KEY=VALUE ...]
//	    loads the files (merged in order) with compose-go, the loader `docker compose` itself uses (compose-spec JSON
//	    schema, interpolation, merges), and prints the resolved project as JSON.
//	deploy-check kube <kustomization dir>
//	    renders it with kustomize's own library, decodes every built-in object strictly into its
//	    typed Go struct (an unknown or misspelt field is an error) and prints the objects as JSON.
//	    Custom resources (KEDA) are passed through: the test checks the fields we use.
//
// Problems go to stderr, one per line, and the exit code is 1.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// The built-in kinds the manifests may use, each with its typed struct.
var typed = map[string]func() any{
	"v1/ConfigMap":                           func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                              func() any { return &corev1.Secret{} },
	"v1/Service":                             func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                      func() any { return &corev1.ServiceAccount{} },
	"v1/PersistentVolumeClaim":               func() any { return &corev1.PersistentVolumeClaim{} },
	"v1/Namespace":                           func() any { return &corev1.Namespace{} },
	"apps/v1/Deployment":                     func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                    func() any { return &appsv1.StatefulSet{} },
	"batch/v1/Job":                           func() any { return &batchv1.Job{} },
	"networking.k8s.io/v1/Ingress":           func() any { return &networkingv1.Ingress{} },
	"networking.k8s.io/v1/NetworkPolicy":     func() any { return &networkingv1.NetworkPolicy{} },
	"policy/v1/PodDisruptionBudget":          func() any { return &policyv1.PodDisruptionBudget{} },
	"autoscaling/v2/HorizontalPodAutoscaler": func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
}

// Custom resources whose schema is not compiled in; the caller checks them.
var custom = map[string]bool{
	"keda.sh/v1alpha1/ScaledObject":          true,
	"keda.sh/v1alpha1/TriggerAuthentication": true,
}

func fail(problems []string) {
	for _, p := range problems {
		fmt.Fprintln(os.Stderr, p)
	}
	os.Exit(1)
}

func compose(args []string) {
	var files, env []string
	for _, a := range args {
		if strings.Contains(a, "=") {
			env = append(env, a)
		} else {
			files = append(files, a)
		}
	}
	opts, err := cli.NewProjectOptions(files, cli.WithName("arena"), cli.WithEnv(env), cli.WithWorkingDirectory("."))
	if err != nil {
		fail([]string{err.Error()})
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fail([]string{err.Error()})
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fail([]string{err.Error()})
	}
	os.Stdout.Write(out)
}

func kube(dir string) {
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		fail([]string{"kustomize: " + err.Error()})
	}
	var problems []string
	var objects []json.RawMessage
	for _, r := range resources.Resources() {
		raw, err := r.AsYAML()
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		key := r.GetApiVersion() + "/" + r.GetKind()
		name := key + " " + r.GetName()
		if make, ok := typed[key]; ok {
			// UnmarshalStrict: YAML -> JSON, then a decoder that rejects unknown and duplicate fields.
			if err := yaml.UnmarshalStrict(raw, make()); err != nil {
				problems = append(problems, name+": "+err.Error())
				continue
			}
		} else if !custom[key] {
			problems = append(problems, name+": no schema for this apiVersion/kind")
			continue
		}
		js, err := yaml.YAMLToJSON(raw)
		if err != nil {
			problems = append(problems, name+": "+err.Error())
			continue
		}
		objects = append(objects, js)
	}
	if len(problems) > 0 {
		fail(problems)
	}
	out, _ := json.Marshal(objects)
	os.Stdout.Write(out)
}

func main() {
	if len(os.Args) < 3 {
		fail([]string{"usage: deploy-check compose <file>... [KEY=VALUE ...] | deploy-check kube <dir>"})
	}
	switch os.Args[1] {
	case "compose":
		compose(os.Args[2:])
	case "kube":
		kube(os.Args[2])
	default:
		fail([]string{"unknown command " + strings.TrimSpace(os.Args[1])})
	}
}
