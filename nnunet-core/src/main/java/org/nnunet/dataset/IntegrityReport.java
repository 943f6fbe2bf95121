package org.nnunet.dataset;

import java.nio.file.Path;
import java.util.List;

/**
 * Outcome of {@link DatasetIntegrityChecker}: every problem found (errors stop nnU-Net, warnings are printed), plus
 * how many cases were looked at.
 */
public record IntegrityReport(Path folder, List<String> errors, List<String> warnings, int trainingCases,
        int testCases) {

    public IntegrityReport {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    /** Multi-line text: a headline, then each error and warning on its own line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("Dataset integrity of ").append(folder).append(": ").append(trainingCases).append(" training and ")
                .append(testCases).append(" test cases checked, ").append(errors.size()).append(" error(s), ")
                .append(warnings.size()).append(" warning(s)");
        errors.forEach(e -> sb.append("\n  ERROR: ").append(e));
        warnings.forEach(w -> sb.append("\n  WARNING: ").append(w));
        return sb.toString();
    }
}
