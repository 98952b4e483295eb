# Embeds every src/queue/<backend>/migrations/NNN_*.sql into a generated .cpp as
# `corral::<ns>::kMigrations`, in file-name order, so the binary carries its own schema.
# A change to a .sql file re-runs CMake (CMAKE_CONFIGURE_DEPENDS).
function(corral_embed_migrations target ns dir)
  file(GLOB sql_files CONFIGURE_DEPENDS ${dir}/*.sql)
  list(SORT sql_files)
  set(body "")
  foreach(f ${sql_files})
    get_filename_component(name ${f} NAME)
    string(REGEX MATCH "^[0-9]+" version ${name})
    math(EXPR version "${version}")  # "008" would be an invalid octal literal
    file(READ ${f} sql)
    string(APPEND body "  {${version}, \"${name}\", R\"corral_sql(${sql})corral_sql\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${f})
  endforeach()
  set(out ${CMAKE_BINARY_DIR}/generated/${ns}_migrations.cpp)
  file(WRITE ${out}.tmp
"// Generated from ${dir} by cmake/embed_migrations.cmake. Do not edit.
#include \"queue/migration.hpp\"
namespace corral::${ns} {
extern const std::vector<queue::Migration> kMigrations = {
${body}};
}
")
  file(COPY_FILE ${out}.tmp ${out} ONLY_IF_DIFFERENT)
  target_sources(${target} PRIVATE ${out})
endfunction()
