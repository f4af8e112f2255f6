package io.github.wechatpaypartner.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * After {@code package}: the jar users get carries META-INF/spring-configuration-metadata.json
 * with every key the properties classes bind (so IDEs complete them), each described.
 */
class ConfigurationMetadataIT {

  @Test
  void theJarDescribesEveryKey() throws Exception {
    Path jar = Path.of(System.getProperty("starter.jar", "target/missing.jar"));
    assertTrue(Files.isRegularFile(jar), "run by failsafe after package: " + jar);
    JsonNode metadata;
    try (JarFile file = new JarFile(jar.toFile())) {
      ZipEntry entry = file.getEntry("META-INF/spring-configuration-metadata.json");
      assertNotNull(entry, "no configuration metadata in " + jar);
      try (InputStream in = file.getInputStream(entry)) {
        metadata = new ObjectMapper().readTree(in);
      }
    }
    TreeSet<String> described = new TreeSet<>();
    for (JsonNode property : metadata.path("properties")) {
      String name = property.path("name").asText();
      described.add(name);
      assertTrue(property.path("description").asText().length() > 10, name + " has no description");
      assertTrue(property.hasNonNull("type"), name + " has no type");
    }
    TreeSet<String> bound = new TreeSet<>();
    keys(WechatPayProperties.PREFIX, WechatPayProperties.class, bound);
    assertEquals(bound, described);
    assertTrue(bound.containsAll(java.util.List.of("wechatpay.mchid", "wechatpay.api-v3-key", "wechatpay.merchants",
        "wechatpay.retry.max-attempts", "wechatpay.timeouts.connect", "wechatpay.notify-path", "wechatpay.redis.uri")), bound::toString);
  }

  /** The keys Spring binds on {@code type}: a nested class of this package adds its own under its name. */
  private static void keys(String prefix, Class<?> type, TreeSet<String> keys) throws Exception {
    for (PropertyDescriptor p : Introspector.getBeanInfo(type, Object.class).getPropertyDescriptors()) {
      if (p.getReadMethod() == null || p.getWriteMethod() == null) {
        continue;
      }
      String key = prefix + "." + p.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
      Class<?> value = p.getPropertyType();
      if (value.getPackage() == WechatPayProperties.class.getPackage() && !value.isEnum() && !Map.class.isAssignableFrom(value)) {
        keys(key, value, keys);
      } else {
        keys.add(key);
      }
    }
  }
}
