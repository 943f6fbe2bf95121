package org.nnunet.service.testing;

import io.restassured.RestAssured;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Requests written byte for byte to the service under test, for what HTTP clients will not send. */
public final class RawHttp {

    private RawHttp() {
    }

    /**
     * Sends only the headers of a POST declaring {@code length} bytes (the body never follows); returns what the
     * server answers, up to its JSON body's end.
     */
    public static String postHeadersOnly(String path, String token, String contentType, long length)
            throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + length + "\r\n\r\n");
    }

    /** Sends {@code head} as is; returns the answer up to its JSON body's end, or what arrived within 10 s. */
    public static String send(String head) throws IOException {
        URI base = URI.create(RestAssured.baseURI);
        try (Socket s = new Socket(base.getHost(), RestAssured.port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            try {
                for (int n; !answer.toString(StandardCharsets.UTF_8).contains("}") && (n = in.read(buf)) > 0; ) {
                    answer.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // whatever arrived is the answer
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
