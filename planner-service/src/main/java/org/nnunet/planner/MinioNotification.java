package org.nnunet.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A MinIO bucket notification as MinIO publishes it to Kafka ({@code EventName}, {@code Key} = "bucket/object" and
 * the S3-compatible {@code Records}, whose object keys are URL-encoded), reduced to the created objects.
 */
public record MinioNotification(String eventName, List<CreatedObject> created) {

    public record CreatedObject(String bucket, String key, long size) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** @throws IllegalArgumentException when the message is not a MinIO notification */
    public static MinioNotification parse(String message) {
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (IOException e) {
            throw new IllegalArgumentException("MinIO notification is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || !root.path("Records").isArray()) {
            throw new IllegalArgumentException("MinIO notification has no Records array");
        }
        List<CreatedObject> created = new ArrayList<>();
        for (JsonNode record : root.path("Records")) {
            String name = record.path("eventName").asText(root.path("EventName").asText(""));
            JsonNode s3 = record.path("s3");
            String bucket = s3.path("bucket").path("name").asText("");
            String key = s3.path("object").path("key").asText("");
            if (bucket.isEmpty() || key.isEmpty()) {
                throw new IllegalArgumentException("MinIO notification record without s3.bucket.name or s3.object.key");
            }
            if (name.startsWith("s3:ObjectCreated:")) {
                created.add(new CreatedObject(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8),
                        s3.path("object").path("size").asLong(0)));
            }
        }
        return new MinioNotification(root.path("EventName").asText(""), List.copyOf(created));
    }
}
