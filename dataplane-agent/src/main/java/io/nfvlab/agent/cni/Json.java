package io.nfvlab.agent.cni;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;

import java.nio.file.Path;

/**
 * The CNI plugin's JSON as plain Java values (objects as LinkedHashMap, arrays as List, integers as Long, other
 * numbers as BigDecimal), through Jackson. The reader is as strict as the CNI spec's inputs deserve: RFC 8259 only,
 * a duplicate key, trailing text or nesting deeper than 64 levels is an error (a network config is small and flat).
 */
public final class Json {
    /** Input that is not JSON; the message says where. */
    public static final class ParseException extends Exception {
        ParseException(String message) {
            super(message);
        }
    }

    private static final int MAX_DEPTH = 64;
    private static final ObjectMapper MAPPER = JsonMapper.builder(new com.fasterxml.jackson.core.JsonFactoryBuilder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // paths as the plugin prints them (Jackson's default is a file: URI)
            .addModule(new SimpleModule().addSerializer(Path.class, ToStringSerializer.instance))
            .build();

    private Json() {
    }

    public static Object parse(String text) throws ParseException {
        if (text == null || text.isBlank()) {
            throw new ParseException("unexpected end of input");
        }
        try {
            return MAPPER.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new ParseException(e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            // maps, lists, strings, numbers and booleans always serialize
            throw new IllegalArgumentException("not serializable as JSON: " + e.getOriginalMessage(), e);
        }
    }
}
