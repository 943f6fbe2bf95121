package org.nnunet.postprocessing;

import java.util.List;

/**
 * One entry of v1's {@code for_which_classes}: a single class ({@code 2}) or classes treated as one region
 * ({@code [1, 2]}, always written as a list, even with one class, as v1 does for its all-foreground step).
 */
public record Region(List<Integer> classes, boolean joint) {

    public Region {
        classes = List.copyOf(classes);
        if (classes.isEmpty() || classes.contains(0)) {
            throw new IllegalArgumentException("a postprocessing region needs foreground classes, got " + classes);
        }
        if (!joint && classes.size() != 1) {
            throw new IllegalArgumentException("a single-class region has one class, got " + classes);
        }
    }

    public static Region single(int c) {
        return new Region(List.of(c), false);
    }

    public static Region joint(List<Integer> classes) {
        return new Region(classes, true);
    }

    boolean contains(int label) {
        return classes.contains(label);
    }
}
