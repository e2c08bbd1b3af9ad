package io.osteo.train.finetune;

import java.util.List;

/**
 * Labelled vertebrae for fine-tuning and evaluation, by index: an in-memory list or a store on
 * disk that reads each patch when asked (the paper budget's cohort does not fit in memory).
 * Implementations return the same vertebra for the same index every time (seeded sampling and
 * exact resume rely on it) and are safe to call from one prefetching thread while the training
 * thread runs.
 */
public interface LabelledData {

    /** Number of vertebrae. */
    int size();

    /** The vertebra at {@code index} (0 <= index < size()); its patch may be read from disk now. */
    LabelledVertebra get(int index);

    /** An in-memory list as labelled data (no copy; the list must not change). */
    static LabelledData of(List<LabelledVertebra> vertebrae) {
        List<LabelledVertebra> list = List.copyOf(vertebrae);
        return new LabelledData() {
            @Override
            public int size() {
                return list.size();
            }

            @Override
            public LabelledVertebra get(int index) {
                return list.get(index);
            }
        };
    }
}
