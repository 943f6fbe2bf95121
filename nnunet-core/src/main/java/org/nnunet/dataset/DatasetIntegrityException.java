package org.nnunet.dataset;

/** Thrown by {@link DatasetIntegrityChecker#verify} when the dataset has errors; the message lists all of them. */
public final class DatasetIntegrityException extends RuntimeException {

    private final transient IntegrityReport report;

    public DatasetIntegrityException(IntegrityReport report) {
        super(report.describe());
        this.report = report;
    }

    public IntegrityReport report() {
        return report;
    }
}
