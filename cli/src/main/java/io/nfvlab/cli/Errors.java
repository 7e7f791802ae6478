package io.nfvlab.cli;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.nfvlab.api.expansion.TopologyException;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;

/** Turns any exception into the one line the user sees and the exit code, so no stack trace reaches the terminal. */
public final class Errors {
    private Errors() {
    }

    public static String oneLine(Throwable error) {
        Throwable e = unwrap(error);
        String message;
        if (e instanceof CliException) {
            message = e.getMessage();
        } else if (e instanceof TopologyException) {
            message = "invalid topology: " + e.getMessage();
        } else if (e instanceof KubernetesClientException k) {
            message = describeApiError(k);
        } else if (e instanceof NoSuchFileException) {
            message = "no such file: " + e.getMessage();
        } else if (e instanceof IOException) {
            message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        } else {
            message = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return flatten(message);
    }

    public static int exitCode(Throwable error) {
        Throwable e = unwrap(error);
        return e instanceof CliException c ? c.exitCode() : ExitCodes.FAILURE;
    }

    /** Collapses a multi-line message (YAML parsers and API servers write several) into one line. */
    public static String flatten(String message) {
        if (message == null) {
            return "";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String describeApiError(KubernetesClientException k) {
        Throwable cause = k.getCause();
        while (cause != null) {
            if (cause instanceof ConnectException || cause instanceof java.net.UnknownHostException) {
                String why = cause.getMessage() == null || cause.getMessage().isBlank()
                        ? (cause instanceof ConnectException ? "connection refused" : "unknown host") : cause.getMessage();
                return "cannot reach the Kubernetes API server (" + flatten(why) + "): give --kubeconfig, or start a local "
                        + "one with `sudo nfvlab run … --keep`";
            }
            cause = cause.getCause();
        }
        if (k.getCode() == java.net.HttpURLConnection.HTTP_NOT_FOUND && k.getMessage() != null && k.getMessage().contains("nfvlab.io")) {
            return "the cluster does not know nfvlab's resources (404): install the CRDs with "
                    + "`helm install nfvlab charts/nfvlab --namespace nfvlab-system --create-namespace`";
        }
        if (k.getCode() == java.net.HttpURLConnection.HTTP_UNAUTHORIZED || k.getCode() == java.net.HttpURLConnection.HTTP_FORBIDDEN) {
            return "the API server refused the request (" + k.getCode() + "): "
                    + (k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : "check the kubeconfig's user");
        }
        if (k.getStatus() != null && k.getStatus().getMessage() != null) {
            return "API server: " + k.getStatus().getMessage();
        }
        return "API server: " + k.getMessage();
    }

    /** The exception that says what went wrong, under the wrappers that executors and reflection add. */
    private static Throwable unwrap(Throwable e) {
        Throwable current = e;
        while (current.getCause() != null && (current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException
                || current instanceof java.lang.reflect.InvocationTargetException
                || current instanceof java.io.UncheckedIOException)) {
            current = current.getCause();
        }
        return current;
    }
}
