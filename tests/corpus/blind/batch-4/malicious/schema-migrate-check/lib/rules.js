"use strict";
module.exports = [
  { id: "M001", re: /\bDROP\s+(TABLE|COLUMN)\b/i, msg: "Destructive DROP; split into deprecate + drop in a later release." },
  { id: "M002", re: /\bCREATE\s+INDEX\b(?!\s+CONCURRENTLY)/i, msg: "Use CREATE INDEX CONCURRENTLY to avoid locking writes." },
  { id: "M003", re: /\bALTER\s+TABLE\b[^;]*\bSET\s+NOT\s+NULL\b/i, msg: "SET NOT NULL scans the whole table; add a CHECK constraint NOT VALID first." },
  { id: "M004", re: /\bALTER\s+COLUMN\b[^;]*\bTYPE\b/i, msg: "Column type change rewrites the table." },
  { id: "M005", re: /\bUPDATE\b(?![^;]*\bWHERE\b)/i, msg: "UPDATE without WHERE." },
];
