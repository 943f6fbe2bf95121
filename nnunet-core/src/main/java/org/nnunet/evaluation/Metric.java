package org.nnunet.evaluation;

/**
 * v1.7.1 {@code Evaluator.default_metrics} with the formulas and NaN rules of {@code evaluation/metrics.py}, in the
 * order v1 evaluates them (sorted by name). With {@code nanForNonexisting} false the undefined cases give 0, and the
 * "1 - x" metrics then give 1, as in v1.
 */
public enum Metric {
    ACCURACY("Accuracy"),
    DICE("Dice"),
    FALSE_DISCOVERY_RATE("False Discovery Rate"),
    FALSE_NEGATIVE_RATE("False Negative Rate"),
    FALSE_OMISSION_RATE("False Omission Rate"),
    FALSE_POSITIVE_RATE("False Positive Rate"),
    JACCARD("Jaccard"),
    NEGATIVE_PREDICTIVE_VALUE("Negative Predictive Value"),
    PRECISION("Precision"),
    RECALL("Recall"),
    TOTAL_POSITIVES_REFERENCE("Total Positives Reference"),
    TOTAL_POSITIVES_TEST("Total Positives Test"),
    TRUE_NEGATIVE_RATE("True Negative Rate");

    /** The key v1 writes into summary.json. */
    public final String key;

    Metric(String key) {
        this.key = key;
    }

    /** Counts are returned as {@link Long} (v1 writes them as JSON integers), rates as {@link Double}. */
    public Number compute(ConfusionMatrix cm, boolean nanForNonexisting) {
        return switch (this) {
            case ACCURACY -> (double) (cm.tp() + cm.tn()) / cm.size();
            case DICE -> dice(cm, nanForNonexisting);
            case FALSE_DISCOVERY_RATE -> 1 - precision(cm, nanForNonexisting);
            case FALSE_NEGATIVE_RATE -> 1 - recall(cm, nanForNonexisting);
            case FALSE_OMISSION_RATE -> falseOmissionRate(cm, nanForNonexisting);
            case FALSE_POSITIVE_RATE -> 1 - specificity(cm, nanForNonexisting);
            case JACCARD -> jaccard(cm, nanForNonexisting);
            case NEGATIVE_PREDICTIVE_VALUE -> 1 - falseOmissionRate(cm, nanForNonexisting);
            case PRECISION -> precision(cm, nanForNonexisting);
            case RECALL -> recall(cm, nanForNonexisting);
            case TOTAL_POSITIVES_REFERENCE -> cm.tp() + cm.fn();
            case TOTAL_POSITIVES_TEST -> cm.tp() + cm.fp();
            case TRUE_NEGATIVE_RATE -> specificity(cm, nanForNonexisting);
        };
    }

    private static double undefined(boolean nanForNonexisting) {
        return nanForNonexisting ? Double.NaN : 0.0;
    }

    /** 2TP / (2TP + FP + FN); undefined when test and reference are both empty. */
    public static double dice(ConfusionMatrix cm, boolean nanForNonexisting) {
        if (cm.testEmpty() && cm.referenceEmpty()) {
            return undefined(nanForNonexisting);
        }
        return 2.0 * cm.tp() / (2 * cm.tp() + cm.fp() + cm.fn());
    }

    /** TP / (TP + FP + FN); undefined when both are empty. */
    public static double jaccard(ConfusionMatrix cm, boolean nanForNonexisting) {
        if (cm.testEmpty() && cm.referenceEmpty()) {
            return undefined(nanForNonexisting);
        }
        return (double) cm.tp() / (cm.tp() + cm.fp() + cm.fn());
    }

    /** TP / (TP + FP); undefined when the test is empty. */
    public static double precision(ConfusionMatrix cm, boolean nanForNonexisting) {
        return cm.testEmpty() ? undefined(nanForNonexisting) : (double) cm.tp() / (cm.tp() + cm.fp());
    }

    /** TP / (TP + FN); undefined when the reference is empty. */
    public static double recall(ConfusionMatrix cm, boolean nanForNonexisting) {
        return cm.referenceEmpty() ? undefined(nanForNonexisting) : (double) cm.tp() / (cm.tp() + cm.fn());
    }

    /** TN / (TN + FP); undefined when the reference fills the image. */
    public static double specificity(ConfusionMatrix cm, boolean nanForNonexisting) {
        return cm.referenceFull() ? undefined(nanForNonexisting) : (double) cm.tn() / (cm.tn() + cm.fp());
    }

    /** FN / (TN + FN); undefined when the test fills the image. */
    public static double falseOmissionRate(ConfusionMatrix cm, boolean nanForNonexisting) {
        return cm.testFull() ? undefined(nanForNonexisting) : (double) cm.fn() / (cm.fn() + cm.tn());
    }
}
