"""Group supervision: groups, members, meetings and the presenter rota, shared logs."""
