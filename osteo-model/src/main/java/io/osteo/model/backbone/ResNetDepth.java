package io.osteo.model.backbone;

import java.util.List;

/** ResNet depths built from basic (two 3x3 convolution) residual blocks: blocks per stage. */
public enum ResNetDepth {
    /** ResNet10: one basic block per stage (a CPU-sized backbone). */
    RESNET10(List.of(1, 1, 1, 1)),
    /** ResNet18: two basic blocks per stage. */
    RESNET18(List.of(2, 2, 2, 2)),
    /** ResNet34: 3, 4, 6, 3 basic blocks (the paper's backbone). */
    RESNET34(List.of(3, 4, 6, 3));

    private final List<Integer> blocksPerStage;

    ResNetDepth(List<Integer> blocksPerStage) {
        this.blocksPerStage = blocksPerStage;
    }

    /** Number of basic blocks in each of the four stages. */
    public List<Integer> blocksPerStage() {
        return blocksPerStage;
    }
}
