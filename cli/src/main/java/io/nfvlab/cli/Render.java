package io.nfvlab.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.PrintWriter;
import java.util.function.Supplier;

/** Prints a command's result in the chosen format: the text supplier for tables, Jackson for JSON and YAML. */
public final class Render {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private Render() {
    }

    public static void print(PrintWriter out, OutputFormat format, Object data, Supplier<String> text) {
        switch (format) {
            case json -> out.println(json(data));
            case yaml -> out.print(yaml(data));
            default -> out.print(text.get());
        }
        out.flush();
    }

    public static String json(Object data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw CliException.failure("cannot write JSON: " + e.getOriginalMessage());
        }
    }

    public static String yaml(Object data) {
        try {
            return YAML.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw CliException.failure("cannot write YAML: " + e.getOriginalMessage());
        }
    }
}
