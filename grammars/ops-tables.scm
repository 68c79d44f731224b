; Designated initializers of struct variables: `static const struct dev_pagemap_ops
; drv_ops = { .page_free = drv_page_free, ... };` — one match per `.field = value` pair.
; The facts turn these into ops tables (which function serves which member of which
; struct), the link from `pgmap->ops->page_free(...)` call sites to `drv_page_free`.
(declaration
  type: (struct_specifier name: (type_identifier) @struct)
  declarator: (init_declarator
    declarator: (_) @variable
    value: (initializer_list
      (initializer_pair
        designator: (field_designator (field_identifier) @field)
        value: (_) @value))))
