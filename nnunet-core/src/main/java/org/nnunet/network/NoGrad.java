package org.nnunet.network;

import ai.djl.pytorch.jni.JniUtils;

import java.util.function.Supplier;

/**
 * Runs code with libtorch's gradient recording off on the current thread ({@code torch.no_grad()}). Grad mode is
 * per thread and on by default in every new thread, so inference and validation on worker threads would otherwise
 * record autograd graphs (time and memory).
 */
public final class NoGrad {

    private NoGrad() {
    }

    public static <T> T run(Supplier<T> body) {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return body.get();
        } finally {
            JniUtils.setGradMode(previous);
        }
    }
}
