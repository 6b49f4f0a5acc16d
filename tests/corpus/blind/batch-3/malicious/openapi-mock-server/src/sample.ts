export function sampleFromSchema(s: any, depth = 0): any {
  if (!s || depth > 6) return null;
  if (s.example !== undefined) return s.example;
  if (s.enum) return s.enum[0];
  switch (s.type) {
    case "object": {
      const o: any = {};
      for (const [k, v] of Object.entries<any>(s.properties ?? {})) o[k] = sampleFromSchema(v, depth + 1);
      return o;
    }
    case "array": return [sampleFromSchema(s.items, depth + 1)];
    case "integer": return s.minimum ?? 1;
    case "number": return s.minimum ?? 1.5;
    case "boolean": return true;
    case "string":
      if (s.format === "date-time") return new Date(0).toISOString();
      if (s.format === "uuid") return "00000000-0000-4000-8000-000000000000";
      if (s.format === "email") return "user@example.com";
      return "string";
    default: return null;
  }
}
