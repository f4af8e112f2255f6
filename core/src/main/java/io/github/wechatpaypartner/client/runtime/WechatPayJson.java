package io.github.wechatpaypartner.client.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.util.ClassUtil;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The JSON mapping of requests and answers. Strict in what it writes, lenient in what it reads:
 *
 * <ul>
 *   <li>Times are written exactly as the pages fix them, {@code YYYY-MM-DDTHH:mm:ss+TIMEZONE}: whole
 *       seconds always present, the offset as {@code +08:00} (UTC as {@code +00:00}, never
 *       {@code Z}). Jackson's default would drop {@code :00} seconds and write {@code Z}.
 *   <li>Times are read in any ISO-8601 offset form, seconds and fractions optional.
 *   <li>Unknown members are ignored and {@code null} members are not written.
 *   <li>A oneOf body whose discriminator is missing fails as a Jackson error naming the type: the
 *       generator's own deserializer ({@code switch} on the discriminator) would throw a bare
 *       {@link NullPointerException}.
 * </ul>
 */
public final class WechatPayJson {
  /** {@code 2025-01-01T00:00:00+08:00}. */
  public static final DateTimeFormatter TIME_FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

  private WechatPayJson() {
  }

  /** A new mapper with the settings above, for models without oneOf; share it, it is thread-safe. */
  public static ObjectMapper newObjectMapper() {
    return newObjectMapper(List.of());
  }

  /**
   * A new mapper with the settings above; share it, it is thread-safe once configured.
   *
   * @param oneOfModels the generated oneOf models (the generated {@code SpecCatalog} lists them),
   *     whose deserializers get the guard described above
   */
  public static ObjectMapper newObjectMapper(Collection<Class<?>> oneOfModels) {
    // Two small (de)serializers instead of JavaTimeModule, which sets up every java.time type
    // (about 100 classes at start-up) while the models hold their times as strings.
    SimpleModule times = new SimpleModule("WechatPayTimes");
    times.addSerializer(OffsetDateTime.class, new StdSerializer<>(OffsetDateTime.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(TIME_FORMAT.format(value));
      }
    });
    times.addDeserializer(OffsetDateTime.class, new StdScalarDeserializer<>(OffsetDateTime.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public OffsetDateTime deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String text = p.getValueAsString();
        if (text == null) {
          return (OffsetDateTime) ctxt.handleUnexpectedToken(OffsetDateTime.class, p);
        }
        try {
          // ISO-8601 with an offset: seconds and fractions optional, 'T' in either case, Z or +hh:mm.
          return OffsetDateTime.parse(text.trim());
        } catch (DateTimeParseException e) {
          return (OffsetDateTime) ctxt.handleWeirdStringValue(OffsetDateTime.class, text,
              "not an ISO-8601 time with an offset: %s", e.getMessage());
        }
      }
    });
    ObjectMapper mapper = new ObjectMapper();
    mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    mapper.configure(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE, false);
    mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    mapper.registerModule(times);
    for (Class<?> oneOf : oneOfModels) {
      mapper.addMixIn(oneOf, GuardedOneOf.class);
    }
    return mapper;
  }

  /**
   * Replaces a oneOf model's {@code @JsonDeserialize}: runs the generated deserializer the model
   * names, and turns its runtime failure into a Jackson error naming the type.
   */
  @JsonDeserialize(using = OneOfGuard.class)
  private abstract static class GuardedOneOf {
  }

  /** The guard; contextual, so one class serves every oneOf model. */
  static final class OneOfGuard extends JsonDeserializer<Object> implements ContextualDeserializer {
    private final Class<?> type;
    private final JsonDeserializer<?> generated;

    OneOfGuard() {
      this(null, null);
    }

    private OneOfGuard(Class<?> type, JsonDeserializer<?> generated) {
      this.type = type;
      this.generated = generated;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
        throws JsonMappingException {
      Class<?> target = ctxt.getContextualType().getRawClass();
      JsonDeserialize own = target.getAnnotation(JsonDeserialize.class);
      if (own == null || own.using() == JsonDeserializer.None.class) {
        throw JsonMappingException.from(ctxt, target.getName() + " names no generated deserializer");
      }
      return new OneOfGuard(target, (JsonDeserializer<?>) ClassUtil.createInstance(own.using(), true));
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      try {
        return generated.deserialize(p, ctxt);
      } catch (RuntimeException e) {
        throw JsonMappingException.from(p, "cannot tell which variant of " + type.getSimpleName()
            + " this body is (is its discriminator missing?): " + e, e);
      }
    }
  }
}
