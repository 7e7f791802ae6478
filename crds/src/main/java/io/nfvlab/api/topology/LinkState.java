package io.nfvlab.api.topology;

import com.fasterxml.jackson.annotation.JsonProperty;

public enum LinkState {
    @JsonProperty("up") UP,
    @JsonProperty("down") DOWN
}
