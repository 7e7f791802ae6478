package io.nfvlab.apiserver.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.nfvlab.apiserver.EmbeddedApiServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What the API server's checks cost: a burst of VirtualTopology creates (10 hosts, 3 switches, 12 shaped links each,
 * so that every schema rule and CEL rule of the CRD runs) from 16 threads, as the operator scale bench sends them.
 * Run with {@code java -cp <apiserver test classpath> io.nfvlab.apiserver.bench.CreateBurstBench [count] [rounds]}.
 */
public final class CreateBurstBench {
    private static final ResourceDefinitionContext TOPOLOGIES = new ResourceDefinitionContext.Builder()
            .withGroup("nfvlab.io").withVersion("v1alpha1").withPlural("virtualtopologies").withKind("VirtualTopology")
            .withNamespaced(true).build();

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int round = 0; round < rounds; round++) {
            try (EmbeddedApiServer server = EmbeddedApiServer.start()) {
                KubernetesClient client = server.client();
                ExecutorService pool = Executors.newFixedThreadPool(16);
                long start = System.nanoTime();
                List<Future<?>> creates = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String name = "burst-" + round + "-" + i;
                    creates.add(pool.submit(() -> client.genericKubernetesResources(TOPOLOGIES).inNamespace("default")
                            .resource(topology(name)).create()));
                }
                for (Future<?> f : creates) {
                    f.get();
                }
                long ms = (System.nanoTime() - start) / 1_000_000;
                pool.shutdown();
                System.out.printf("round %d: %d creates in %d ms (%.2f ms each)%n", round, count, ms, (double) ms / count);
            }
        }
    }

    static GenericKubernetesResource topology(String name) {
        StringBuilder hosts = new StringBuilder();
        StringBuilder links = new StringBuilder();
        for (int h = 1; h <= 10; h++) {
            hosts.append(h > 1 ? "," : "").append("{\"name\":\"h").append(h).append("\",\"ip\":\"10.0.0.").append(h)
                    .append("/24\"}");
            links.append(h > 1 ? "," : "").append("{\"a\":\"h").append(h).append("\",\"b\":\"s").append(1 + h % 3)
                    .append("\",\"bandwidthMbps\":100,\"delay\":\"1ms\",\"lossPercent\":0.5}");
        }
        links.append(",{\"a\":\"s1\",\"b\":\"s2\"},{\"a\":\"s2\",\"b\":\"s3\"}");
        String json = """
                {"apiVersion":"nfvlab.io/v1alpha1","kind":"VirtualTopology","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"hosts":[%s],"switches":[{"name":"s1"},{"name":"s2","kind":"ovs"},{"name":"s3"}],"links":[%s],
                 "ipBase":"10.0.0.0/24","autoMac":true}}""".formatted(name, hosts, links);
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal(json, GenericKubernetesResource.class);
    }
}
