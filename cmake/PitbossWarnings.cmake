# Warnings are errors on our own code (generated protobuf code included: it is clean).
# pitboss_warnings(target) applies them to one target.
function(pitboss_warnings target)
  target_compile_options(${target} PRIVATE
    $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Werror>
    $<$<COMPILE_LANGUAGE:C>:-Wall -Wextra -Werror -Wstrict-prototypes>)
endfunction()
