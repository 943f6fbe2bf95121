package org.nnunet.training;

/** The console bar within an epoch: iterations done and the running mean loss, redrawn in place. */
final class ProgressBar {
    private static final int WIDTH = 30;

    private ProgressBar() {}

    static void print(int done, int total, double meanLoss) {
        if (System.console() == null) {
            return; // not a terminal: the epoch's log line is enough in log files
        }
        int filled = (int) ((long) WIDTH * done / total);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        System.out.printf("\r  [%s] %d/%d  loss %.4f%s", bar, done, total, meanLoss, done == total ? "\n" : "");
        System.out.flush();
    }
}
