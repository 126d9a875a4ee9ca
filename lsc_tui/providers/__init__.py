"""HTTP clients of the real provider APIs (YouSign v3, ESign, AR24), mapped to domain types at the boundary."""
