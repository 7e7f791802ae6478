package io.nfvlab.cli.graph;

import io.nfvlab.cli.Render;

import java.util.function.Function;

/** The output formats of {@code nfvlab graph}. */
public enum GraphFormat {
    dot(DotRenderer::render),
    mermaid(MermaidRenderer::render),
    svg(picture -> SvgRenderer.render(DotRenderer.render(picture))),
    json(picture -> Render.json(picture) + "\n");

    private final Function<TopologyPicture, String> renderer;

    GraphFormat(Function<TopologyPicture, String> renderer) {
        this.renderer = renderer;
    }

    public String render(TopologyPicture picture) {
        return renderer.apply(picture);
    }
}
