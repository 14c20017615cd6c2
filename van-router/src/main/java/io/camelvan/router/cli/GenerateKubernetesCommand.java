package io.camelvan.router.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.camelvan.router.config.SiteConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code van-router generate kubernetes}: the manifests of a standalone router site. */
@Command(name = "kubernetes", mixinStandardHelpOptions = true,
    description = {"Write the Kubernetes manifests of this site: a ConfigMap (site file), a Secret (its certificates and"
        + " keys), a Deployment (probes on /readyz and /healthz) and a Service (its listeners), ready for 'kubectl apply -f'.",
        "Listeners and the admin port listen on all interfaces in the pod. The image must hold the router jar at"
        + " /opt/van/van-router.jar and a shell (see docs/kubernetes.md)."})
final class GenerateKubernetesCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Where to write (default: standard output).")
    Path out;

    @Option(names = "--namespace", paramLabel = "NS", description = "Namespace of the objects (default: none, kubectl's current one).")
    String namespace;

    @Option(names = "--image", paramLabel = "IMAGE", defaultValue = "camel-van/van-router:0.1.0",
        description = "Container image with the router (default: ${DEFAULT-VALUE}).")
    String image;

    @Option(names = "--service-type", paramLabel = "TYPE", defaultValue = "ClusterIP",
        description = "Service type: ClusterIP, NodePort or LoadBalancer (default: ${DEFAULT-VALUE}).")
    String serviceType;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!serviceType.matches("ClusterIP|NodePort|LoadBalancer")) {
            throw new UsageException("--service-type must be ClusterIP, NodePort or LoadBalancer, not '" + serviceType + "'");
        }
        SiteConfig site = config.load();
        KubernetesManifests manifests = new KubernetesManifests(site, namespace, image, serviceType);
        String yaml = manifests.yaml();
        PrintWriter stdout = spec.commandLine().getOut();
        if (out == null) {
            stdout.print(yaml);
            stdout.flush();
        } else {
            Files.writeString(out, yaml);
            stdout.println("wrote ConfigMap, Secret, Deployment and Service '" + manifests.name() + "' to " + out
                + "; apply with: kubectl apply -f " + out);
            manifests.linkSummaries().forEach(l -> stdout.println("  outgoing link " + l));
        }
        return 0;
    }
}
