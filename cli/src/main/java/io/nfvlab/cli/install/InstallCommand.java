package io.nfvlab.cli.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.nfvlab.cli.ClusterOptions;
import io.nfvlab.cli.ExitCodes;
import io.nfvlab.cli.Session;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "install", description = {
        "Print nfvlab's installation (namespace, CRDs, operator, agent DaemonSet, RBAC) rendered from its Helm chart, "
                + "for `kubectl apply -f -`; or apply it to the current cluster with --apply.",
        "The same chart `helm install nfvlab charts/nfvlab` installs; no helm binary needed."})
public class InstallCommand implements Callable<Integer> {
    @Mixin
    ReleaseOptions release;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--apply", description = "Apply to the cluster of the kubeconfig instead of printing.")
    boolean apply;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Manifests manifests = release.render();
        PrintWriter out = spec.commandLine().getOut();
        if (!apply) {
            out.print(manifests.yaml());
            out.flush();
            return ExitCodes.OK;
        }
        try (Session session = cluster.open(out, spec.commandLine().getErr())) {
            KubernetesClient client = session.getClient();
            for (HasMetadata object : manifests.objects()) {
                out.printf("%s/%s %s%n", object.getKind().toLowerCase(java.util.Locale.ROOT), object.getMetadata().getName(), applyOne(client, object));
                out.flush();
            }
        }
        return ExitCodes.OK;
    }

    /**
     * Server-side apply, as {@code kubectl apply --server-side}: the chart's fields are owned by nfvlab's manager.
     * A server without server-side apply (nfvlab's in-process one: 415 for an object that exists, 404 for one that
     * does not) gets create-or-update instead.
     */
    static String applyOne(KubernetesClient client, HasMetadata object) {
        try {
            try {
                client.resource(object).patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager("nfvlab-install").withForce(true).build());
                return "applied";
            } catch (KubernetesClientException e) {
                if (e.getCode() != 415 && e.getCode() != 404) {
                    throw e;
                }
                client.resource(object).createOr(io.fabric8.kubernetes.client.dsl.NonDeletingOperation::update);
                return "applied (create or update: the server has no server-side apply)";
            }
        } catch (KubernetesClientException e) {
            throw ReleaseOptions.clusterError("apply " + object.getKind() + " " + object.getMetadata().getName(), e);
        }
    }
}
