package io.kanbu.backup.gateway.access;

import jakarta.persistence.LockModeType;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/** Failed logins per login name. */
public interface LoginFailureRepository extends JpaRepository<LoginFailure, String> {

  /** The row, locked until the transaction ends (two failures at once both count). */
  @Lock(LockModeType.PESSIMISTIC_WRITE)
  @Query("SELECT f FROM LoginFailure f WHERE f.username = :username")
  Optional<LoginFailure> lockByUsername(@Param("username") String username);
}
