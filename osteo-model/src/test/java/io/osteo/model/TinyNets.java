package io.osteo.model;

import io.osteo.model.backbone.BackboneConfig;
import io.osteo.model.backbone.ResNetDepth;
import io.osteo.model.moe.DecoderConfig;
import io.osteo.model.net.OsteoNetConfig;
import java.util.List;

/** Networks small enough to train in a unit test on two CPU cores. */
public final class TinyNets {

    private TinyNets() {}

    public static BackboneConfig backbone() {
        return BackboneConfig.builder().depth(ResNetDepth.RESNET10).spatialDims(3).baseWidth(4).stemKernel(3)
                .stemMaxPool(false).build();
    }

    public static OsteoNetConfig moe() {
        return new OsteoNetConfig(backbone(), DecoderConfig.builder().gateHidden(8).expertHidden(16).build(),
                List.of(16, 16, 16));
    }
}
