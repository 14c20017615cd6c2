package io.camelvan.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.camelvan.router.config.ConfigLoader;
import io.camelvan.router.config.SiteConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import picocli.CommandLine;

/** The generated manifests are valid Kubernetes objects carrying the site's real ports and files. */
class GenerateKubernetesCommandTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @TempDir
    Path dir;

    @Test
    void manifestsFitTheKubernetesModelAndCarryTheSite() throws Exception {
        Path site = dir.resolve("west");
        assertThat(cli("init", "--site", "west", "--dir", site.toString(), "--link-access", "west.example.com:55671",
            "--amqp-port", "5673", "--admin-port", "9191")).isZero();
        Path out = dir.resolve("west.k8s.yaml");
        assertThat(cli("generate", "kubernetes", "--config", site.resolve("site.yaml").toString(), "--namespace", "van",
            "--image", "registry.example.com/van-router:1", "--service-type", "LoadBalancer", "--out", out.toString())).isZero();

        List<String> docs = new ArrayList<>();
        for (String doc : Files.readString(out).split("(?m)^---$")) {
            if (doc.contains("kind:")) {
                docs.add(doc);
            }
        }
        assertThat(docs).hasSize(4);
        ConfigMap configMap = YAML.readValue(docs.get(0), ConfigMap.class);
        Secret secret = YAML.readValue(docs.get(1), Secret.class);
        Deployment deployment = YAML.readValue(docs.get(2), Deployment.class);
        Service service = YAML.readValue(docs.get(3), Service.class);
        assertThat(configMap.getAdditionalProperties()).isEmpty();
        assertThat(secret.getAdditionalProperties()).isEmpty();
        assertThat(deployment.getAdditionalProperties()).isEmpty();
        assertThat(service.getAdditionalProperties()).isEmpty();
        for (HasMetadata object : List.of(configMap, secret, deployment, service)) {
            assertThat(object.getMetadata().getNamespace()).isEqualTo("van");
        }
        assertThat(deployment.getSpec().getAdditionalProperties()).isEmpty();
        assertThat(deployment.getSpec().getTemplate().getSpec().getAdditionalProperties()).isEmpty();

        // the pod's site folder, laid out as the init container does, loads with the site's real ports
        Path pod = dir.resolve("pod");
        Files.createDirectories(pod.resolve("certs"));
        String token = new String(Base64.getDecoder().decode(secret.getData().get("admin-token")), StandardCharsets.UTF_8);
        assertThat(configMap.getData().get("site.yaml")).contains("${env:VAN_ADMIN_TOKEN}").doesNotContain(token);
        // as the pod's environment would give it
        Files.writeString(pod.resolve("site.yaml"), configMap.getData().get("site.yaml").replace("${env:VAN_ADMIN_TOKEN}", token));
        for (var file : secret.getData().entrySet()) {
            Files.write(pod.resolve("certs").resolve(file.getKey()), Base64.getDecoder().decode(file.getValue()));
        }
        SiteConfig inPod = ConfigLoader.load(pod.resolve("site.yaml"));
        assertThat(inPod.listeners()).extracting(l -> l.port()).containsExactly(5673, 55671);
        assertThat(inPod.listeners()).allMatch(l -> l.host().equals("0.0.0.0"));
        assertThat(inPod.admin().port()).isEqualTo(9191);

        // the Secret holds the site's real certificate, key and CA
        Map<String, String> data = secret.getData();
        assertThat(data).containsKeys("site.crt", "site.key", "ca.crt", "ca.key");
        assertThat(Base64.getDecoder().decode(data.get("site.crt")))
            .isEqualTo(Files.readAllBytes(site.resolve("certs/site.crt")));
        assertThat(Base64.getDecoder().decode(data.get("ca.key")))
            .isEqualTo(Files.readAllBytes(site.resolve("certs/ca.key")));

        Container router = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(router.getEnv()).singleElement().satisfies(env -> {
            assertThat(env.getName()).isEqualTo("VAN_ADMIN_TOKEN");
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(secret.getMetadata().getName());
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("admin-token");
        });
        assertThat(router.getImage()).isEqualTo("registry.example.com/van-router:1");
        assertThat(router.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(router.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(router.getReadinessProbe().getHttpGet().getPort().getIntVal()).isEqualTo(9191);
        assertThat(router.getPorts()).extracting(p -> p.getContainerPort()).containsExactly(5673, 55671, 9191);
        assertThat(service.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(service.getSpec().getPorts()).extracting(p -> p.getPort()).containsExactly(5673, 55671);
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    private static int cli(String... args) {
        CommandLine cli = VanRouterCli.commandLine();
        cli.setOut(new PrintWriter(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), true));
        return cli.execute(args);
    }
}
